import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kanalvakt.audit.models import AuditEvent
from kanalvakt.compliance.models import PolicyDocument
from kanalvakt.organisation.roles import Role

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_traceability_lists_every_clause_with_its_tests(make_user, settings, tmp_path):
    coverage = tmp_path / "coverage.json"
    coverage.write_text(json.dumps({"R2.4": ["tests/registry/test_x.py::test_y"]}))
    settings.KANALVAKT_REQUIREMENTS_COVERAGE = coverage
    html = client_for(make_user(Role.AUDITOR)).get(reverse("compliance:traceability"))
    html = html.content.decode()
    assert "R7.8" in html and "tests/registry/test_x.py::test_y" in html
    assert "Få ett godkännande av närmaste chef" in html  # the guideline's own words


@pytest.mark.req("R7.8")
def test_central_office_uploads_a_policy_document_linked_from_the_staff_ui(make_user):
    office = client_for(make_user(Role.CENTRAL_OFFICE))
    upload = SimpleUploadedFile("grafisk-profil.pdf", b"%PDF-1.4 test", "application/pdf")
    response = office.post(
        reverse("compliance:policies"),
        {"title": "Grafisk profil", "applies_to": "Grafisk profil (R5.2)", "file": upload},
    )
    assert response.status_code == 302
    document = PolicyDocument.objects.get(title="Grafisk profil")
    assert AuditEvent.objects.filter(action="compliance.policy_document.add").exists()
    owner = client_for(make_user(Role.ACCOUNT_OWNER))
    home = owner.get(reverse("core:home")).content.decode()
    assert reverse("compliance:policies") in home
    page = owner.get(reverse("compliance:policies")).content.decode()
    assert "Grafisk profil" in page and "Riktlinjer för sociala medier" in page
    download = owner.get(reverse("compliance:policy_file", args=[document.pk]))
    assert download["Content-Disposition"].startswith("attachment")


def test_only_the_central_office_adds_documents_and_bad_files_are_refused(make_user):
    owner = client_for(make_user(Role.ACCOUNT_OWNER))
    owner.post(reverse("compliance:policies"), {"title": "X", "url": "https://osby.se/x"})
    assert not PolicyDocument.objects.exists()
    office = client_for(make_user(Role.CENTRAL_OFFICE))
    response = office.post(
        reverse("compliance:policies"),
        {"title": "Skript", "file": SimpleUploadedFile("evil.html", b"<script>", "text/html")},
    )
    assert response.status_code == 200 and not PolicyDocument.objects.exists()
