"""The screenshot pages pass axe-core (WCAG 2.1 A/AA) in Chromium."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from kanalvakt.organisation.roles import Role
from kanalvakt.screenshots import actions
from kanalvakt.screenshots.capture import capture_channel
from kanalvakt.screenshots.uploads import clean_upload
from registry.helpers import make_channel
from screenshots import files
from screenshots.conftest import FakeBrowser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def timeline(make_user):
    owner = make_user(Role.ACCOUNT_OWNER)
    channel = make_channel(responsible=owner.person, display_name="Osby bibliotek")
    with freeze_time("2025-01-10 09:00:00+00:00"):
        capture_channel(channel, kind="first", browser=FakeBrowser())
    with freeze_time("2025-07-10 09:00:00+00:00"):
        capture_channel(channel, kind="scheduled", browser=FakeBrowser())
    capture_channel(channel, kind="change", browser=FakeBrowser("login_wall", "login wall"))
    actions.mark_major_change(channel, "cover image")
    actions.upload_screenshot(
        owner,
        channel,
        clean_upload(SimpleUploadedFile("a.png", files.png_with_text())),
        kind="change",
        note="Tagen i mobilen",
    )
    make_channel(display_name="Osby idrott")  # never captured: due
    return channel, make_user(Role.COMMUNICATOR)


def test_overview_timeline_and_comparison_have_no_axe_violations(
    live_server, page, axe_check, log_in, timeline
):
    _channel, communicator = timeline
    log_in(communicator)
    page.goto(f"{live_server.url}/intern/skarmdumpar/?visa=alla")
    assert page.get_by_role("heading", level=1).inner_text() == "Skärmdumpar"
    assert page.get_by_role("link", name="Osby idrott").is_visible()
    assert axe_check(page) == []

    page.get_by_role("link", name="Osby bibliotek").click()
    assert page.get_by_role("button", name="Godkänn").is_visible()
    assert page.get_by_role("button", name="Ladda upp").is_visible()
    assert axe_check(page) == []

    page.get_by_role("button", name="Visa sida vid sida").click()
    page.wait_for_url("**/jamfor/**")
    images = page.get_by_role("img")
    assert images.count() == 2
    assert all(
        page.evaluate(
            "(img) => img.complete && img.naturalWidth > 0", images.nth(i).element_handle()
        )
        for i in range(2)
    )
    assert axe_check(page) == []
