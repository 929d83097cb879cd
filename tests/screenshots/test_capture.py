"""Capturing real pages served on 127.0.0.1 with Debian's Chromium: normal, slow, huge,
error statuses, pop-ups, consent banners, login walls, trackers, very tall pages."""

import hashlib
import time

import pytest
from django.core import mail

from kanalvakt.screenshots import storage
from kanalvakt.screenshots.browser import Failure
from kanalvakt.screenshots.capture import capture_channel, capture_evidence
from kanalvakt.screenshots.models import Screenshot
from kanalvakt.screenshots.signals import screenshot_stored
from registry.helpers import make_channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def channel_at(url, platform="instagram"):
    channel = make_channel(platform=platform)
    channel.url = url
    channel.save()
    return channel


def test_a_normal_page_is_stored_as_png_and_pdf_with_its_metadata(
    pages, shot_browser, django_capture_on_commit_callbacks
):
    channel = channel_at(pages + "/normal?title=Osby%20bibliotek")
    stored = []
    screenshot_stored.connect(lambda **kw: stored.append(kw), weak=False, dispatch_uid="t")
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            shot = capture_channel(channel, kind="scheduled", browser=shot_browser)
        elapsed = time.monotonic() - started
    finally:
        screenshot_stored.disconnect(dispatch_uid="t")
    assert shot.status == Screenshot.Status.ACCEPTED, shot.failure_detail
    assert elapsed <= 5.0  # a local page within five seconds
    assert (shot.viewport_width, shot.viewport_height) == (1280, 900)
    assert "Chrome/" in shot.user_agent and "Headless" not in shot.user_agent
    assert shot.http_status == 200 and shot.url == channel.url and shot.reason
    image, pdf = shot.image, shot.pdf
    png = storage.read(image.name)
    assert png.startswith(b"\x89PNG") and image.width == 1280
    assert hashlib.sha256(png).hexdigest() == image.sha256
    assert image.name.endswith(f"{image.sha256}.png")  # content-addressed
    assert storage.read(pdf.name).startswith(b"%PDF-") and storage.verify(pdf.name, pdf.sha256)
    assert stored and stored[0]["screenshot"] == shot  # hook for the integrity log


def test_a_slow_page_fails_with_a_time_out(pages, shot_browser):
    result = shot_browser.capture(pages + "/slow")
    assert result.failure == Failure.TIMEOUT and result.png is None
    assert result.seconds < 6


def test_a_huge_page_is_stopped_at_the_size_limit(pages, shot_browser):
    result = shot_browser.capture(pages + "/huge")
    assert result.failure == Failure.TOO_LARGE and result.png is None
    assert result.seconds < 4


@pytest.mark.parametrize(
    ("path", "failure", "status"),
    [
        ("/error", Failure.HTTP_ERROR, 500),
        ("/forbidden", Failure.BLOCKED, 403),
        ("/missing", Failure.HTTP_ERROR, 404),
    ],
)
def test_error_statuses_fail_with_the_status(pages, shot_browser, path, failure, status):
    result = shot_browser.capture(pages + path)
    assert (result.failure, result.http_status) == (failure, status)
    assert result.detail == f"HTTP {status}"


def test_pop_ups_and_dialogs_are_closed_and_the_page_still_captured(pages, shot_browser):
    result = shot_browser.capture(pages + "/popup")
    assert result.ok, result.detail
    assert result.popups_closed >= 1 and result.png


def test_a_cookie_banner_is_dismissed_by_the_platform_rule(pages, shot_browser, settings):
    settings.SCREENSHOT_CONSENT_RULES = {"osbytest": ["#banner button.reject"]}
    result = shot_browser.capture(pages + "/consent", platform_key="osbytest")
    assert result.ok and result.consent_clicked == ["#banner button.reject"]
    without_rule = shot_browser.capture(pages + "/consent", platform_key="other")
    assert without_rule.consent_clicked == []


def test_third_party_trackers_are_blocked(pages, shot_browser):
    result = shot_browser.capture(pages + "/tracker")
    assert result.ok and result.blocked_requests == 2


def test_a_very_tall_page_is_cut_at_the_height_limit(pages, shot_browser):
    result = shot_browser.capture(pages + "/tall", with_pdf=False)
    assert result.ok and result.truncated
    height = int.from_bytes(result.png[20:24], "big")
    assert height == shot_browser.max_height


def test_a_login_wall_fails_and_asks_the_responsible_person_to_upload(pages, shot_browser):
    channel = channel_at(pages + "/login", platform="instagram")
    shot = capture_channel(channel, kind="first", browser=shot_browser, due_at=None)
    assert shot.status == Screenshot.Status.FAILED
    assert shot.failure == Failure.LOGIN_WALL and "loginForm" in shot.failure_detail
    assert not shot.files.exists()
    # (mail is sent on commit; the SMTP round trip is tested in test_reminders)


def test_an_unreachable_address_fails_with_a_network_error(shot_browser):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = shot_browser.capture(f"http://127.0.0.1:{port}/")
    assert result.failure == Failure.NETWORK and "net::" in result.detail


def test_an_evidence_screenshot_of_a_single_item(pages, shot_browser):
    channel = make_channel(platform="facebook")
    shot = capture_evidence(
        pages + "/normal?title=Kommentar",
        "Personangrepp (R4.2)",
        channel=channel,
        item_ref="facebook:comment:42",
        browser=shot_browser,
    )
    assert shot.kind == Screenshot.Kind.EVIDENCE and shot.status == Screenshot.Status.ACCEPTED
    assert shot.item_ref == "facebook:comment:42" and shot.image and shot.pdf
    assert not mail.outbox


def test_the_browser_is_reused_and_contexts_do_not_pile_up(pages, shot_browser):
    for _ in range(5):
        assert shot_browser.capture(pages + "/normal", with_pdf=False).ok
    assert shot_browser._thread.is_alive()
