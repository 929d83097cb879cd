"""Taking screenshots: of a channel's public page, of the channels that are due, and of a
single item as evidence before it is removed (used by moderation).

    from kanalvakt.screenshots.capture import capture_evidence
    shot = capture_evidence(url, "Hot mot tjänsteperson", channel=channel, item_ref="fb:123")

Each function takes an open `ScreenshotBrowser` to reuse (one browser per run) or opens
one for the call. The browser runs in its own thread; the ORM stays in the caller's.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field

from django.utils import timezone

from kanalvakt.organisation.access import SystemActor
from kanalvakt.screenshots import actions, reminders
from kanalvakt.screenshots.browser import ScreenshotBrowser
from kanalvakt.screenshots.models import Screenshot
from kanalvakt.screenshots.schedule import ready_to_capture

logger = logging.getLogger(__name__)

REASONS = {
    Screenshot.Kind.FIRST: "Första skärmdumpen av kontot (R7.7)",
    Screenshot.Kind.SCHEDULED: "Halvårsvis skärmdump (R7.7)",
    Screenshot.Kind.CHANGE: "Större förändring av kontot (R7.7)",
    Screenshot.Kind.MANUAL: "Skärmdump på begäran",
}


@contextlib.contextmanager
def _browser(browser: ScreenshotBrowser | None):
    if browser is not None:
        yield browser
    else:
        with ScreenshotBrowser() as opened:
            yield opened


def capture_channel(
    channel,
    *,
    kind: str = Screenshot.Kind.MANUAL,
    reason: str = "",
    browser: ScreenshotBrowser | None = None,
    actor=None,
    due_at=None,
) -> Screenshot:
    """Capture the channel's public page. On failure the responsible person is asked to
    upload a screenshot they took (once per due date)."""
    actor = actor or SystemActor("worker")
    with _browser(browser) as open_browser:
        result = open_browser.capture(channel.url, platform_key=channel.platform.key)
    shot = actions.record_capture(
        actor, channel, result, kind=kind, reason=reason or REASONS.get(kind, kind)
    )
    if shot.status == Screenshot.Status.FAILED:
        reminders.request_upload(channel, shot, due_at=due_at)
    return shot


def capture_evidence(
    url: str,
    reason: str,
    *,
    channel,
    item_ref: str,
    browser: ScreenshotBrowser | None = None,
    actor=None,
) -> Screenshot:
    """A screenshot (PNG and PDF) of a single item, kept as evidence before it is removed.
    Returns the record; check `.status` (failed captures say why in `.failure_detail`)."""
    actor = actor or SystemActor("worker")
    platform_key = channel.platform.key if channel is not None else ""
    with _browser(browser) as open_browser:
        result = open_browser.capture(url, platform_key=platform_key)
    return actions.record_capture(
        actor, channel, result, kind=Screenshot.Kind.EVIDENCE, reason=reason, item_ref=item_ref
    )


@dataclass
class RunSummary:
    captured: int = 0
    failed: int = 0
    channels: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"captured": self.captured, "failed": self.failed, "channels": self.channels}


def capture_due(now=None, *, limit: int | None = None, browser=None) -> RunSummary:
    """Capture every channel whose screenshot is due, in one browser."""
    now = now or timezone.now()
    summary = RunSummary()
    due = ready_to_capture(now, limit)
    if not due:
        return summary
    with _browser(browser) as open_browser:
        for duty in due:
            try:
                shot = capture_channel(
                    duty.channel, kind=duty.kind, browser=open_browser, due_at=duty.due_at
                )
            except Exception:
                # One channel's trouble (a bad URL, a crashed renderer) must not stop the run.
                logger.exception("Screenshot of channel %s failed", duty.channel.pk)
                summary.failed += 1
                continue
            summary.channels.append(duty.channel.pk)
            if shot.status == Screenshot.Status.ACCEPTED:
                summary.captured += 1
            else:
                summary.failed += 1
    return summary
