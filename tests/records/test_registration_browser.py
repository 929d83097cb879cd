"""The registrar's flow in Chromium, with axe-core on each page: a pending registration
from moderation gets its case number; new items are registered from a preselected form."""

import pytest

from archived_threads import archived_comments
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.records.registration import request_registration
from kanalvakt.records.registration_models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.req("R7.4")
def test_registrar_registers_pending_and_new_items(live_server, page, axe_check, log_in, make_user):
    from registry.helpers import make_channel

    channel = make_channel(platform="facebook", handle="osby.webbtest")
    first, second = archived_comments(channel, "Synpunkt om badhuset.", "Fråga om badhuset.")
    pending = request_registration(
        SystemActor("moderation"), [first], "Sekretess", confidential=True
    )
    log_in(make_user(Role.REGISTRAR))

    page.goto(f"{live_server.url}/intern/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Registrering"
    ).click()
    assert axe_check(page) == []
    page.get_by_role("link", name="(inget ännu)").click()
    assert axe_check(page) == []
    page.get_by_label("Diarienummer").fill("KS 2026")
    page.get_by_label("Kort beskrivning").fill("Synpunkt om badhuset, sekretess")
    page.get_by_role("button", name="Registrera", exact=True).click()
    page.wait_for_load_state()
    assert "följer inte diariets format" in page.content()
    assert axe_check(page) == []
    page.get_by_label("Diarienummer").fill("KS 2026/77")
    page.get_by_role("button", name="Registrera", exact=True).click()
    page.wait_for_load_state()
    pending.refresh_from_db()
    assert pending.case_number == "KS 2026/77" and pending.state == "registered"

    page.goto(f"{live_server.url}/intern/handlingar/registrering/ny/?item={second.pk}")
    assert axe_check(page) == []
    assert page.get_by_label(f"Registrera objekt {second.pk}").is_checked()
    page.get_by_label("Diarienummer").fill("BUN 2026/5")
    page.get_by_label("Kort beskrivning").fill("Fråga om badhuset")
    page.get_by_role("button", name="Registrera", exact=True).click()
    page.wait_for_load_state()
    created = Registration.objects.get(case_number="BUN 2026/5")
    assert list(created.items.all()) == [second]
    assert "Skicka med e-post till registrator" in page.content()
    assert axe_check(page) == []
