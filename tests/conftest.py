import os
import shutil
from pathlib import Path

import pytest

from factories import PersonFactory, UserFactory
from kanalvakt.organisation.roles import Role

ASSETS = Path(__file__).resolve().parent / "assets"
CHROMIUM = os.environ.get("KANALVAKT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached pages are keyed by database state (newest ids, audit sequence), which repeats
    # between tests that each start from an empty database.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db):
    """A user with a person and the given roles: make_user(Role.COMMUNICATOR)."""

    def make(*roles: Role, **person_fields):
        user = UserFactory(roles=roles)
        PersonFactory(user=user, email=user.email, **person_fields)
        return user

    return make


@pytest.fixture
def central_office_user(make_user):
    return make_user(Role.CENTRAL_OFFICE)


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Debian Chromium for the session, driven by Playwright."""
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        pytest.skip(
            f"no Chromium at {CHROMIUM}: run scripts/ensure_system_packages.sh as root "
            "(apt-get install chromium) or set KANALVAKT_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs a loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser):
    # bypass_csp: axe-core is injected as an inline script, which our CSP rightly forbids.
    context = chromium_browser.new_context(
        locale="sv-SE", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in(page, live_server):
    """log_in(user): the browser page gets the user's session, without the login form
    (which tests/custody/test_browser.py drives)."""
    from django.test import Client

    def run(user):
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])

    return run


@pytest.fixture
def axe_check():
    """Run axe-core (WCAG 2.1 A/AA rules) on a Playwright page; return the violations."""
    source = (ASSETS / "axe-core/axe.min.js").read_text(encoding="utf-8")

    def check(page):
        page.add_script_tag(content=source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
            f"{', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in result["violations"]
        ]

    return check


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost (aiosmtpd); Django sends to it over SMTP."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    yield received
    controller.stop()
