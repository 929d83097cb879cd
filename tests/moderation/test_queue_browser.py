"""The queue and decision flow driven in Chromium, with axe-core on each page."""

import pytest

from kanalvakt.moderation.models import ModerationCase, PlatformAction, TrainingExample
from kanalvakt.organisation.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.req("R4.1")
@pytest.mark.req("R4.3")
def test_moderator_removes_one_comment_and_keeps_another(
    live_server, page, axe_check, log_in, make_user, channel, capture
):
    moderator = make_user(Role.MODERATOR)
    insult, praise = capture(
        channel, "Ni är ena jävla idioter allihop.", "Jävlar vad fint det blev på torget!"
    )
    log_in(moderator)
    page.goto(f"{live_server.url}/intern/moderering/")
    assert axe_check(page) == []
    page.get_by_role("link", name="Ni är ena jävla idioter allihop.").click()
    assert page.locator("mark").count() >= 1
    assert axe_check(page) == []
    page.get_by_role("button", name="Tilldela mig").click()
    page.get_by_label("Ta bort från plattformen").check()
    page.get_by_label("Motivering (sparas)").fill("Personangrepp")
    page.get_by_role("button", name="Spara beslut").click()
    page.wait_for_load_state()
    case = ModerationCase.objects.get(item=insult)
    assert case.decision == "remove" and case.decided_by == moderator
    assert case.assigned_to == moderator and case.preservation["versions"]
    action = PlatformAction.objects.get(case=case)
    assert action.state == "manual"  # no token: the owner removes it by hand
    page.get_by_role("button", name="Bekräfta borttagen för hand").click()
    page.wait_for_load_state()
    action.refresh_from_db()
    assert action.state == "confirmed"

    page.goto(f"{live_server.url}/intern/moderering/")
    page.get_by_role("link", name="Jävlar vad fint det blev på torget!").click()
    page.get_by_label("Behåll (inte en överträdelse)").check()
    page.get_by_role("button", name="Spara beslut").click()
    page.wait_for_load_state()
    kept = ModerationCase.objects.get(item=praise)
    assert kept.decision == "keep"
    assert TrainingExample.objects.get(case=kept).labels == []
    page.goto(f"{live_server.url}/intern/moderering/")
    assert "Inget att moderera." in page.content()
    page.get_by_role("link", name="Modereringspolicy").click()
    assert axe_check(page) == []


@pytest.mark.req("R4.1")
def test_communicator_tests_and_saves_a_lexicon_entry(
    live_server, page, axe_check, log_in, make_user
):
    from kanalvakt.moderation.models import PolicyVersion

    log_in(make_user(Role.COMMUNICATOR))
    page.goto(f"{live_server.url}/intern/moderering/policy/")
    page.get_by_role("link", name="Lexikon och undantagslista").click()
    assert axe_check(page) == []
    page.get_by_role("link", name="Lägg till en post i lexikonet").click()
    page.get_by_label("Ordformer (åtskilda med kommatecken)").fill("tjosan*")
    page.get_by_label("Klass").select_option("swear")
    page.get_by_label("Text att testa med gällande version och med detta utkast").fill(
        "Tjosan vad fint!"
    )
    page.get_by_role("button", name="Testa", exact=True).click()
    page.wait_for_load_state()
    assert "Ingen regel slår till." in page.content() and "Tjosan" in page.content()
    assert axe_check(page) == []
    page.get_by_label("Vad som ändrades och varför (krävs)").fill("Vanlig svordom här")
    page.get_by_role("button", name="Spara som ny version").click()
    page.wait_for_load_state()
    assert PolicyVersion.objects.latest("number").number == 2
    page.goto(f"{live_server.url}/intern/moderering/policy/version/2/")
    assert "tjosan*|swear" in page.content()
    assert axe_check(page) == []
