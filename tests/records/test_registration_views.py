"""Registration pages under /intern/handlingar/registrering/: list (pending first), the
create form with preselected items and Swedish errors, detail, hand-off, permissions."""

import pytest
from django.test import Client
from django.urls import reverse

from archived_threads import archived_comments
from kanalvakt.audit.models import AuditEvent
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.records.registration import register, request_registration
from kanalvakt.records.registration_models import Registration

pytestmark = pytest.mark.django_db
CREATE = reverse("records:registration_create")
LIST = reverse("records:registrations")


@pytest.fixture
def comments(db):
    from registry.helpers import make_channel

    channel = make_channel(platform="facebook", handle="osby.sidor")
    return archived_comments(channel, "Synpunkt om cykelvägen.", "Fråga om bygglovet.")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(items, **overrides) -> dict:
    data = {
        "item": [str(i.pk) for i in items],
        "case_number": "KS 2026/123",
        "received_on": "2026-03-02",
        "direction": "received",
        "sender": "Anna Andersson",
        "description": "Synpunkt på cykelvägen",
    }
    return {**data, **overrides}


@pytest.mark.req("R7.4")
def test_create_form_preselects_items_and_registers(make_user, comments):
    client = _client(make_user(Role.REGISTRAR))
    query = "&".join(f"item={c.pk}" for c in comments)
    page = client.get(f"{CREATE}?{query}").content.decode()
    for comment in comments:
        assert f'name="item" value="{comment.pk}"' in page
    assert 'value="Anna Andersson"' in page and 'value="2026-03-02"' in page  # suggested
    assert "csrfmiddlewaretoken" in page
    response = client.post(CREATE, _form(comments))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("records:registration_detail", args=[registration.pk])
    assert registration.case_number == "KS 2026/123" and registration.items.count() == 2
    detail = client.get(response["Location"]).content.decode()
    assert "KS 2026/123" in detail and "Synpunkt om cykelvägen." in detail
    assert "Skicka med e-post till registrator" in detail


@pytest.mark.req("R7.4")
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"case_number": "2026/123"}, "följer inte diariets format"),
        ({"case_number": ""}, "Ange ett diarienummer"),
        ({"item": [], "item_ids": ""}, "Välj minst ett arkiverat objekt"),
        ({"item_ids": "999999, abc"}, "Okänt objekt: abc, 999999"),
        ({"description": ""}, "Skriv en kort beskrivning"),
    ],
)
def test_create_form_errors_are_swedish_and_store_nothing(make_user, comments, overrides, message):
    client = _client(make_user(Role.REGISTRAR))
    response = client.post(CREATE, _form(comments, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_unknown_preselected_item_is_reported(make_user, comments):
    client = _client(make_user(Role.REGISTRAR))
    page = client.get(f"{CREATE}?item={comments[0].pk}&item=999999", follow=True)
    assert "Okänt objekt: 999999" in page.content.decode()


@pytest.mark.req("R7.6")
def test_list_shows_pending_first_and_filters(make_user, comments):
    registrar = make_user(Role.REGISTRAR)
    register(registrar, items=comments[:1], case_number="KS 2026/1", description="Först")
    pending = request_registration(
        SystemActor("moderation"), comments[1:], "Sekretess", confidential=True
    )
    client = _client(registrar)
    page = client.get(LIST).content.decode()
    assert page.index("Väntar på diarienummer") < page.index("KS 2026/1")
    assert reverse("records:registration_detail", args=[pending.pk]) in page
    filtered = client.get(LIST, {"diarienummer": "KS 2026/1"}).content.decode()
    assert "KS 2026/1" in filtered and "Väntar på diarienummer</td>" not in filtered
    pending_url = reverse("records:registration_detail", args=[pending.pk])
    assert pending_url not in client.get(LIST, {"state": "registered"}).content.decode()
    assert pending_url in client.get(LIST, {"state": "pending"}).content.decode()
    # The registrar gives the pending one its case number on its page.
    url = reverse("records:registration_register", args=[pending.pk])
    bad = client.post(url, {**_form([]), "case_number": "fel"})
    assert bad.status_code == 400 and "följer inte diariets format" in bad.content.decode()
    client.post(url, _form([], case_number="SN 2026/4"))
    pending.refresh_from_db()
    assert pending.state == "registered" and pending.case_number == "SN 2026/4"


@pytest.mark.req("R7.4")
def test_auditor_reads_but_cannot_change_and_owner_sees_nothing(make_user, comments):
    registration = register(
        make_user(Role.REGISTRAR), items=comments, case_number="KS 2026/9", description="x"
    )
    detail = reverse("records:registration_detail", args=[registration.pk])
    auditor = _client(make_user(Role.AUDITOR))
    assert auditor.get(LIST).status_code == 200
    page = auditor.get(detail).content.decode()
    read = AuditEvent.objects.get(action="records.registration.view")  # a sensitive read
    assert read.object_id == str(registration.pk) and read.actor_id is not None
    assert (
        "KS 2026/9" in page and "Skicka med e-post" not in page and "Spara märkningen" not in page
    )
    assert reverse("records:registrations") in auditor.get(reverse("core:home")).content.decode()
    assert auditor.get(CREATE).status_code == 403
    assert auditor.post(CREATE, _form(comments, case_number="KS 2026/10")).status_code == 403
    handoff = reverse("records:registration_handoff", args=[registration.pk])
    assert auditor.post(handoff, {"method": "files"}).status_code == 403
    confidential = reverse("records:registration_confidential", args=[registration.pk])
    assert auditor.post(confidential, {"osl_provision": "OSL 26 kap. 1 §"}).status_code == 403
    owner = _client(make_user(Role.ACCOUNT_OWNER))
    assert owner.get(LIST).status_code == 403 and owner.get(detail).status_code == 403
    assert owner.post(CREATE, _form(comments, case_number="KS 2026/11")).status_code == 403
    assert reverse("records:registrations") not in owner.get(reverse("core:home")).content.decode()
    assert Registration.objects.count() == 1
    registration.refresh_from_db()
    assert registration.handed_off_at is None and not registration.osl_provision


def test_download_gives_the_zip_and_marks_confidential(make_user, comments):
    registrar = make_user(Role.REGISTRAR)
    registration = register(registrar, items=comments, case_number="KS 2026/9", description="x")
    client = _client(registrar)
    url = reverse("records:registration_confidential", args=[registration.pk])
    client.post(url, {"osl_provision": "OSL 26 kap. 1 §"})
    registration.refresh_from_db()
    assert registration.osl_provision == "OSL 26 kap. 1 §" and registration.masked
    handoff = reverse("records:registration_handoff", args=[registration.pk])
    response = client.post(handoff, {"method": "files"})
    assert response["Content-Type"] == "application/zip"
    assert "registrering-KS-2026-9-" in response["Content-Disposition"]
    assert client.get(handoff).status_code == 405


def test_demo_registrar_sees_a_registered_entry():
    from django.contrib.auth import get_user_model

    from kanalvakt.demo import load_demo_data

    load_demo_data()
    registration = Registration.objects.get()
    assert registration.state == "registered" and registration.case_number == "KS 2026/112"
    client = Client()
    client.force_login(get_user_model().objects.get(username="lena"))
    page = client.get(LIST).content.decode()
    assert "KS 2026/112" in page and "Registrering" in page
