"""A request goes through the whole workflow in a real browser (R2.1, R2.2, R2.3)."""

import pytest

from kanalvakt.demo import DEMO_PASSWORD
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.demo import load as load_organisation
from kanalvakt.registry.activation import ACTIVATION_CHECKS, CheckResult
from kanalvakt.registry.models import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/intern/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(base + "/intern/")


@pytest.mark.req("R2.1", "R2.2", "R2.3")
def test_request_approve_consult_activate_in_the_browser(live_server, page, axe_check, monkeypatch):
    monkeypatch.setitem(
        ACTIVATION_CHECKS,
        "credentials",
        lambda c: CheckResult("credentials", "R6.2", True, "deposited"),
    )
    load_organisation(SystemActor("test"))
    base = live_server.url

    # Anna, librarian, requests an Instagram account for the library.
    log_in(page, base, "anna")
    page.goto(base + "/intern/kanaler/ansok/")
    assert axe_check(page) == []
    field = lambda label: page.get_by_label(label, exact=True)  # noqa: E731
    field("Plattform:").select_option(label="Instagram")
    field("Kontonamn (användarnamn på plattformen):").fill("osbybiblioteket")
    field("Visningsnamn:").fill("Biblioteket i Osby")
    field("Ersättare:").select_option(label="Omar Haddad, Fritidsledare")
    field("Nå nya målgrupper").check()
    field("Beskrivning av aktiviteten och vilket socialt medium det gäller:").fill("Boktips.")
    field("Syfte och mål:").fill("Fler unga låntagare.")
    field("Målgrupp:").fill("Unga vuxna.")
    field("Vem bevakar vid semester och frånvaro:").fill("Omar Haddad")
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_url(f"{base}/intern/kanaler/*/")
    assert "Ansökt" in page.locator("main").inner_text()
    channel = Channel.objects.get(handle="osbybiblioteket")

    # Per, her nearest manager, approves.
    log_in(page, base, "per")
    page.goto(f"{base}/intern/kanaler/att-gora/")
    page.get_by_role("link", name="Biblioteket i Osby").click()
    page.get_by_label("Godkänn", exact=True).check()
    page.get_by_label("Kommentar:", exact=True).fill("Bra initiativ.")
    page.get_by_role("button", name="Spara beslut").click()
    assert "Godkänd." in page.locator("main").inner_text()

    # Sara, communicator, records her advice.
    log_in(page, base, "sara")
    page.goto(f"{base}/intern/kanaler/{channel.pk}/")
    page.get_by_label("Råd som gavs:", exact=True).fill("Använd kommunens profilbild och namnform.")
    page.get_by_role("button", name="Dokumentera").click()

    # Karin at the central office activates.
    log_in(page, base, "klk")
    page.goto(f"{base}/intern/kanaler/{channel.pk}/")
    assert axe_check(page) == []
    page.get_by_role("button", name="Aktivera kontot").click()
    assert "Kontot är aktivt." in page.locator("main").inner_text()
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ACTIVE
    assert channel.approvals.get().comment == "Bra initiativ."
    assert "profilbild" in channel.consultations.get().advice
