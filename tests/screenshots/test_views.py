"""The screenshot pages through Django's test client: who may see, upload and accept, and
how stored files are served."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from kanalvakt.organisation.roles import Role
from kanalvakt.screenshots.capture import capture_channel
from kanalvakt.screenshots.models import Screenshot
from registry.helpers import make_channel
from screenshots import files
from screenshots.conftest import FakeBrowser

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(make_user):
    return make_user(Role.ACCOUNT_OWNER)


@pytest.fixture
def own_channel(owner):
    return make_channel(responsible=owner.person, display_name="Osby bibliotek")


def upload(client, channel, data, name="skarmdump.png"):
    return client.post(
        reverse("screenshots:upload", args=[channel.pk]),
        {"file": SimpleUploadedFile(name, data), "note": "Tagen i mobilen"},
    )


@pytest.mark.req("R7.7")
def test_owner_uploads_for_own_channel_and_a_communicator_accepts(owner, own_channel, make_user):
    response = upload(client_for(owner), own_channel, files.png_with_text())
    assert response.status_code == 302
    shot = own_channel.screenshots.get()
    assert shot.status == Screenshot.Status.PENDING and shot.source == "upload"
    assert b"Anna" not in shot.image.name.encode()

    # The uploader may not vouch for their own screenshot (four eyes).
    communicator = make_user(Role.COMMUNICATOR)
    url = reverse("screenshots:review", args=[shot.pk])
    assert client_for(owner).post(url, {"decision": "accept"}).status_code == 403
    client_for(communicator).post(url, {"decision": "accept", "note": "Rätt konto."})
    shot.refresh_from_db()
    assert shot.status == Screenshot.Status.ACCEPTED
    assert "Testsson" in shot.reviewed_by_label and shot.review_note == "Rätt konto."


def test_owner_cannot_upload_for_someone_elses_channel(owner):
    other = make_channel()
    assert upload(client_for(owner), other, files.png_with_text()).status_code == 403
    assert not other.screenshots.exists()


def test_a_refused_file_is_explained_on_the_page(owner, own_channel):
    response = upload(client_for(owner), own_channel, b"<script>alert(1)</script>", "x.png")
    assert response.status_code == 200
    assert "Ladda upp en PNG- eller JPEG-bild eller en PDF-fil." in response.content.decode()
    assert not own_channel.screenshots.exists()


def test_self_review_by_a_communicator_is_refused(make_user):
    communicator = make_user(Role.COMMUNICATOR)
    channel = make_channel()
    upload(client_for(communicator), channel, files.png_with_text())
    shot = channel.screenshots.get()
    response = client_for(communicator).post(
        reverse("screenshots:review", args=[shot.pk]), {"decision": "accept"}, follow=True
    )
    assert "Någon annan än den som laddade upp" in response.content.decode()
    shot.refresh_from_db()
    assert shot.status == Screenshot.Status.PENDING


def test_the_auditor_sees_everything_and_changes_nothing(make_user, own_channel):
    shot = capture_channel(own_channel, kind="first", browser=FakeBrowser())
    auditor = client_for(make_user(Role.AUDITOR))
    assert auditor.get(reverse("screenshots:overview") + "?visa=alla").status_code == 200
    page = auditor.get(reverse("screenshots:channel", args=[own_channel.pk]))
    assert page.status_code == 200 and shot.image.sha256 in page.content.decode()
    assert "Ladda upp en skärmdump" not in page.content.decode()
    assert upload(auditor, own_channel, files.png_with_text()).status_code == 403


def test_stored_files_are_served_with_safe_headers(make_user, own_channel):
    shot = capture_channel(own_channel, kind="first", browser=FakeBrowser())
    client = client_for(make_user(Role.REGISTRAR))
    image = client.get(reverse("screenshots:file", args=[shot.image.pk]))
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline")
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in image["Content-Security-Policy"]
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    pdf = client.get(reverse("screenshots:file", args=[shot.pdf.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    assert Client().get(reverse("screenshots:file", args=[shot.image.pk])).status_code == 302


def test_overview_lists_overdue_and_due_channels(make_user, settings):
    settings.SCREENSHOT_GRACE_DAYS = 7
    with freeze_time("2025-01-01 09:00:00+00:00"):
        overdue = make_channel(display_name="Osby idrott")
    with freeze_time("2025-01-10 09:00:00+00:00"):
        done = make_channel(display_name="Osby kultur")
        capture_channel(done, kind="first", browser=FakeBrowser())
        response = client_for(make_user(Role.CENTRAL_OFFICE)).get(reverse("screenshots:overview"))
    text = response.content.decode()
    assert "Osby idrott" in text and "Försenad" in text
    assert "Osby kultur" not in text  # up to date: shown only with "all"
    assert overdue.pk


def test_compare_shows_two_screenshots_side_by_side(make_user, own_channel):
    with freeze_time("2025-01-10 09:00:00+00:00"):
        first = capture_channel(own_channel, kind="first", browser=FakeBrowser())
    with freeze_time("2025-07-10 09:00:00+00:00"):
        second = capture_channel(own_channel, kind="scheduled", browser=FakeBrowser())
    client = client_for(make_user(Role.COMMUNICATOR))
    response = client.get(
        reverse("screenshots:compare", args=[own_channel.pk]),
        {"a": second.pk, "b": first.pk},
    )
    text = response.content.decode()
    assert text.index("Tidigare: 2025-01-10") < text.index("Senare: 2025-07-10")
    assert reverse("screenshots:file", args=[first.image.pk]) in text
    assert reverse("screenshots:file", args=[second.image.pk]) in text
