"""Per-platform rules as data: cookie-consent buttons to click, signs of a login wall or a
captcha, and third-party tracker hosts to block. Keyed by Platform.key; "*" applies to
every page. Settings SCREENSHOT_CONSENT_RULES / SCREENSHOT_LOGIN_WALL_RULES add to or
replace a platform's list without a code change.

Consent rules click the option that refuses optional cookies where the platform offers
one, so the captured page is the one a visitor sees without consenting to tracking.
"""

from __future__ import annotations

from kanalvakt.screenshots import conf

CONSENT_RULES: dict[str, list[str]] = {
    "*": [
        "#onetrust-reject-all-handler",
        "button#CybotCookiebotDialogBodyButtonDecline",
        "[data-cookie-consent='reject']",
    ],
    "facebook": [
        "div[role='dialog'] [aria-label='Neka valfria cookies']",
        "div[role='dialog'] [aria-label='Decline optional cookies']",
    ],
    "instagram": [
        "button:has-text('Neka valfria cookies')",
        "button:has-text('Decline optional cookies')",
    ],
    "youtube": [
        "button[aria-label^='Avvisa alla']",
        "button[aria-label^='Reject all']",
    ],
    "linkedin": ["button[action-type='DENY']"],
    "x": ["div[role='dialog'] button:has-text('Refuse non-essential cookies')"],
    "tiktok": ["tiktok-cookie-banner button:has-text('Decline')"],
}

# A visible match means automation cannot see the account's public page.
LOGIN_WALL_RULES: dict[str, list[str]] = {
    "*": [
        "iframe[src*='recaptcha']",
        "iframe[src*='hcaptcha']",
        "iframe[src*='challenges.cloudflare.com']",
        "#challenge-form",
        ".g-recaptcha",
    ],
    "facebook": ["form#login_form", "#login_popup_cta_form"],
    "instagram": ["form#loginForm", "input[name='username'][type='text']"],
    "linkedin": ["form.login__form", "a[data-tracking-control-name*='auth_wall']"],
    "x": ["[data-testid='loginButton'][aria-modal='true']", "form[action*='/login']"],
}

# Hosts (and their subdomains) whose requests are dropped when they are third-party to the
# captured page: analytics and ad beacons add nothing to what the page shows.
TRACKER_HOSTS: frozenset[str] = frozenset(
    {
        "google-analytics.com",
        "googletagmanager.com",
        "doubleclick.net",
        "googlesyndication.com",
        "googleadservices.com",
        "adservice.google.com",
        "connect.facebook.net",
        "pixel.facebook.com",
        "analytics.tiktok.com",
        "ads.linkedin.com",
        "px.ads.linkedin.com",
        "snap.licdn.com",
        "analytics.twitter.com",
        "static.ads-twitter.com",
        "scorecardresearch.com",
        "hotjar.com",
        "clarity.ms",
        "bat.bing.com",
        "matomo.cloud",
        "siteimproveanalytics.com",
        "siteimproveanalytics.io",
        "quantserve.com",
        "criteo.com",
        "adnxs.com",
        "taboola.com",
        "outbrain.com",
    }
)


def _merged(base: dict[str, list[str]], extra: dict[str, list[str]], key: str) -> list[str]:
    rules = {**base, **extra}
    return [*rules.get("*", []), *(rules.get(key, []) if key != "*" else [])]


def consent_selectors(platform_key: str) -> list[str]:
    return _merged(CONSENT_RULES, conf.get("SCREENSHOT_CONSENT_RULES"), platform_key)


def login_wall_selectors(platform_key: str) -> list[str]:
    return _merged(LOGIN_WALL_RULES, conf.get("SCREENSHOT_LOGIN_WALL_RULES"), platform_key)


def is_tracker(host: str) -> bool:
    host = host.lower().rstrip(".")
    parts = host.split(".")
    return any(".".join(parts[i:]) in TRACKER_HOSTS for i in range(len(parts) - 1))


def site_of(host: str) -> str:
    """A rough registrable domain (last two labels): enough to tell first- from third-party
    for blocking trackers, which is all it is used for."""
    parts = host.lower().rstrip(".").split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host.lower()
