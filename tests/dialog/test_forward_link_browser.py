"""The public signed answer link driven in Chromium, with axe-core (R3.3)."""

import pytest
from playwright.sync_api import expect

from kanalvakt.dialog import forward_actions
from kanalvakt.dialog.forwarding import answer_path
from kanalvakt.dialog.models import Forward
from kanalvakt.organisation.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.req("R3.3")
def test_receiver_answers_through_the_link_without_logging_in(
    live_server, page, axe_check, make_user, channel, capture
):
    (item,) = capture(channel, "Varför är gatlyktorna på Storgatan släckta?")
    capture(channel, "En annan kommentar som inte ska synas.")
    forward = forward_actions.forward_item(
        make_user(Role.COMMUNICATOR), item, to_email="gata@osby.example", message="Kan du svara?"
    )
    url = f"{live_server.url}{answer_path(forward)}"
    page.goto(url)
    assert "gatlyktorna" in page.content()
    assert "En annan kommentar" not in page.content()  # only its one item
    assert axe_check(page) == []
    page.get_by_label("Ditt svar").fill("Lamporna byts nästa vecka.")
    page.get_by_label("Ditt namn och din roll (visas för kontoansvarig)").fill("Per, gatuenheten")
    page.get_by_role("button", name="Skicka svaret").click()
    expect(page.get_by_role("heading", name="Tack för ditt svar")).to_be_visible()
    forward.refresh_from_db()
    assert forward.state == Forward.State.ANSWERED
    assert forward.answered_by_label == "Per, gatuenheten"
    page.goto(url)
    expect(page.get_by_role("heading", name="Länken fungerar inte")).to_be_visible()
    assert axe_check(page) == []
