"""WCAG 2.1 AA with axe-core in a real browser (Debian Chromium through Playwright)."""

import pytest

from kanalvakt.demo import DEMO_PASSWORD, load_demo_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/tillganglighet/", "/intern/logga-in/"])
def test_public_pages_have_no_axe_violations(live_server, page, axe_check, path):
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert axe_check(page) == []


def test_staff_start_page_after_login_has_no_axe_violations(live_server, page, axe_check):
    load_demo_data()
    page.goto(live_server.url + "/intern/logga-in/")
    page.get_by_label("Användarnamn").fill("klk")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(live_server.url + "/intern/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    assert axe_check(page) == []


def test_skip_link_is_first_and_moves_focus_to_main(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
