"""The screenshot settings with their Osby defaults; a deployment overrides them in settings.

Only the interval comes from the environment (KANALVAKT_SCREENSHOT_INTERVAL_MONTHS, see
kanalvakt.conf.env); the rest are technical limits a test or an administrator may tune.
"""

from django.conf import settings

DEFAULTS = {
    # R7.7: "varje halvår" — counted from the last accepted screenshot.
    "SCREENSHOT_INTERVAL_MONTHS": 6,
    # Reminder to the responsible person this many days before a screenshot is due.
    "SCREENSHOT_REMIND_DAYS_BEFORE": 14,
    # A due screenshot becomes overdue (reminder to the responsible) after this many days,
    # and is escalated to the deputies and communicators this many days after that.
    "SCREENSHOT_GRACE_DAYS": 7,
    "SCREENSHOT_ESCALATE_DAYS": 7,
    # A failed automatic capture is tried again after this many hours at the earliest.
    "SCREENSHOT_RETRY_HOURS": 24,
    # Capture limits: wall time per page, bytes the page may download, full-page height.
    "SCREENSHOT_TIMEOUT_SECONDS": 30.0,
    "SCREENSHOT_MAX_PAGE_BYTES": 30 * 1024 * 1024,
    "SCREENSHOT_MAX_HEIGHT_PX": 15000,
    "SCREENSHOT_VIEWPORT": (1280, 900),
    # Uploaded screenshots (PNG, JPEG, PDF).
    "SCREENSHOT_UPLOAD_MAX_BYTES": 15 * 1024 * 1024,
    "SCREENSHOT_UPLOAD_MAX_PIXELS": 80_000_000,
    # Channels captured per worker run at most (the rest wait for the next run).
    "SCREENSHOT_MAX_PER_RUN": 200,
    # Extra or replacing per-platform rules, merged over kanalvakt.screenshots.rules.
    "SCREENSHOT_CONSENT_RULES": {},
    "SCREENSHOT_LOGIN_WALL_RULES": {},
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
