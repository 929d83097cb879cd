"""The website link check (R6.1) against real HTTP servers on 127.0.0.1: links in many
URL forms, a redirect, a 404, a page that never answers, one that trickles, 50 MB, a PDF."""

import gzip
import socket
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string

from kanalvakt import cli
from kanalvakt.audit.models import AuditEvent
from kanalvakt.core.models import ScheduledJob
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.registry import tasks
from kanalvakt.registry.linkcheck import Limits, check_website_links, link_key
from kanalvakt.registry.models import Channel, WebsitePage
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db

FAST = Limits(connect_timeout=1.0, read_timeout=1.0, deadline=2.0)
MB = 1024 * 1024

LINKS_PAGE = b"""<!doctype html><html><head><meta charset="utf-8">
<title>Osby kommun i sociala medier</title>
<link rel="me" href="https://mastodon.nu/users/OsbyKommun">
<script>var x = '<a href="https://www.tiktok.com/@osbyungdom">';</script>
</head><body>
<p>F\xc3\xb6lj oss:</p>
<a href="https://instagram.com/OsbyBibliotek?utm_source=osby.se#top">Biblioteket</a>
<a href="http://m.facebook.com/osbykommun/">Facebook</a>
<a href="https://www.youtube.com/c/KulturOsby/videos">YouTube</a>
<a href="https://twitter.com/intent/follow?screen_name=OsbyKommun">X</a>
<a href="https://www.facebook.com/stangdsida">Gammal sida</a>
<a href="mailto:kommunen@osby.se">E-post</a> <a href="javascript:void(0)">Meny</a>
<a href="http://[broken">Trasig</a> <a href="/kontakt">Kontakt</a>
<!-- <a href="https://www.linkedin.com/company/osby-kommun/">LinkedIn</a> -->
<p>https://www.linkedin.com/company/osby-kommun/ (text only, not a link)</p>
</body></html>"""

REDIRECTED_PAGE = b"""<html><head><base href="https://bsky.app/profile/"></head><body>
<a href="osbykommun.bsky.social/">Bluesky</a></body></html>"""

BIG_PAGE_HEAD = (
    b'<html><body><a href="https://x.com/osbybig">X</a>' + b"<p>" + b"Osby " * 200 + b"</p>"
)
BIG_PAGE_TAIL = b'<a href="https://www.instagram.com/lastpage/">too late</a></body></html>'


class Site(BaseHTTPRequestHandler):
    """The municipality's website, as badly behaved as real ones get."""

    sent_bytes: dict = {}

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        route = {
            "/sociala-medier": lambda: self._send(200, LINKS_PAGE),
            "/flyttad": lambda: self._send(301, headers=[("Location", "/ny-sida")]),
            "/ny-sida": lambda: self._send(200, REDIRECTED_PAGE),
            "/saknas": lambda: self._send(404, b"<h1>Sidan finns inte</h1>"),
            "/slinga": lambda: self._send(302, headers=[("Location", "/slinga")]),
            "/till-ftp": lambda: self._send(302, headers=[("Location", "ftp://osby.se/")]),
            "/broschyr.pdf": lambda: self._send(200, b"%PDF-1.7 ...", "application/pdf"),
            "/packad": lambda: self._send(
                200,
                gzip.compress(b'<a href="https://www.linkedin.com/company/osby-kommun/about">'),
                headers=[("Content-Encoding", "gzip")],
            ),
            "/stor": self._big,
            "/droppar": self._trickle,
        }.get(self.path)
        if route is None:
            self._send(404)
        else:
            route()

    def _big(self):
        """50 MB of HTML, written as it is read: the check must stop at its size cap."""
        size = 50 * MB
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        filler = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        sent = 0
        try:
            self.wfile.write(BIG_PAGE_HEAD)
            sent = len(BIG_PAGE_HEAD)
            while sent < size - len(BIG_PAGE_TAIL):
                chunk = filler[: size - len(BIG_PAGE_TAIL) - sent]
                self.wfile.write(chunk)
                sent += len(chunk)
            self.wfile.write(BIG_PAGE_TAIL)
            sent += len(BIG_PAGE_TAIL)
        except (BrokenPipeError, ConnectionResetError):
            pass
        Site.sent_bytes["/stor"] = sent

    def _trickle(self):
        """Answers at once, then a byte every 0.2 s: only the total deadline ends it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def website():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_server():
    """Accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sociala-medier"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture
def channels():
    return {
        "instagram": make_channel(handle="osbybibliotek"),
        "facebook": make_channel(platform="facebook", handle="osbykommun"),
        "youtube": make_channel(platform="youtube", handle="kulturosby"),
        "mastodon": make_channel(platform="mastodon", handle="mastodon.nu/@osbykommun"),
        "bluesky": make_channel(platform="bluesky", handle="osbykommun.bsky.social"),
        "x": make_channel(platform="x", handle="osbykommun"),
        "linkedin": make_channel(platform="linkedin", handle="osby-kommun"),
        "tiktok": make_channel(platform="tiktok", handle="osbyungdom"),
        "big_first": make_channel(platform="x", handle="osbybig"),
        "big_last": make_channel(handle="lastpage"),
        "closed": make_channel(Channel.Status.CLOSED, platform="facebook", handle="stangdsida"),
    }


def add_pages(base, *paths):
    for path in paths:
        WebsitePage.objects.create(url=path if path.startswith("http") else base + path)


@pytest.mark.parametrize(
    "url, key",
    [
        ("https://www.instagram.com/osbybibliotek/", "instagram.com/osbybibliotek"),
        ("http://Instagram.com/OsbyBibliotek?utm_source=x#a", "instagram.com/osbybibliotek"),
        ("https://instagram.com//osbybibliotek/reels/", "instagram.com/osbybibliotek"),
        ("https://m.facebook.com/osbykommun/about", "facebook.com/osbykommun"),
        ("https://www.facebook.com/profile.php?id=1234&ref=x", "facebook.com/profile.php?id=1234"),
        ("https://www.facebook.com/osbykommun/posts/123", "facebook.com/osbykommun/posts/123"),
        ("https://mobile.twitter.com/OsbyKommun/with_replies", "x.com/osbykommun"),
        ("https://twitter.com/intent/follow?screen_name=Osby", "x.com/osby"),
        ("https://www.youtube.com/@KulturOsby/featured", "youtube.com/@kulturosby"),
        ("https://youtube.com/user/kulturosby", "youtube.com/@kulturosby"),
        ("https://www.youtube.com/%40kulturosby", "youtube.com/@kulturosby"),
        ("https://www.linkedin.com/company/osby-kommun/about/", "linkedin.com/company/osby-kommun"),
        ("https://mastodon.nu/users/OsbyKommun", "mastodon.nu/@osbykommun"),
        ("https://mastodon.nu/web/@osbykommun/with_replies", "mastodon.nu/@osbykommun"),
        ("https://mastodon.nu/@osbykommun/112233", "mastodon.nu/@osbykommun/112233"),
        ("https://bsky.app/profile/Osby.bsky.social/", "bsky.app/profile/osby.bsky.social"),
        ("https://www.osby.se:443/", "osby.se"),
        ("http://blogg.osby.se:8080/x/", "blogg.osby.se:8080/x"),
        ("mailto:kommunen@osby.se", None),
        ("javascript:alert(1)", None),
        ("https://[broken/", None),
        ("/kontakt", None),
    ],
)
def test_link_keys_ignore_the_forms_of_the_same_link(url, key):
    assert link_key(url) == key


def test_two_different_accounts_never_share_a_key():
    assert link_key("https://www.facebook.com/groups/a") != link_key(
        "https://www.facebook.com/groups/b"
    )
    assert link_key("https://www.youtube.com/@osby") != link_key("https://www.youtube.com/@osby2")


@pytest.mark.req("R6.1")
def test_finds_linked_channels_in_varied_forms_and_reports_the_rest(website, channels):
    add_pages(website, "/sociala-medier", "/flyttad", "/packad", "/saknas", "/broschyr.pdf")
    report = check_website_links(SystemActor("worker"), limits=FAST)

    assert report.conclusive
    assert {c.pk for c in report.unlinked} == {
        channels["tiktok"].pk,
        channels["big_first"].pk,
        channels["big_last"].pk,
    }
    assert [c.pk for c in report.linked_but_not_listed] == [channels["closed"].pk]

    stored = {c.pk: c for c in Channel.objects.all()}
    linked_from = {
        "instagram": "/sociala-medier",
        "facebook": "/sociala-medier",
        "youtube": "/sociala-medier",
        "mastodon": "/sociala-medier",
        "x": "/sociala-medier",
        "bluesky": "/flyttad",
        "linkedin": "/packad",
    }
    for name, path in linked_from.items():
        channel = stored[channels[name].pk]
        assert channel.website_linked is True, name
        assert channel.website_link_found_on == website + path
        assert channel.website_link_checked_at is not None
    assert stored[channels["tiktok"].pk].website_linked is False  # only inside a <script>
    assert stored[channels["closed"].pk].website_linked is None  # not active: not judged

    pages = {p.url.removeprefix(website): p for p in WebsitePage.objects.all()}
    assert pages["/sociala-medier"].last_error == ""
    assert pages["/saknas"].last_error == "HTTP 404"
    assert pages["/broschyr.pdf"].last_error == "not an HTML page (application/pdf)"
    assert all(p.last_checked_at for p in pages.values())


@pytest.mark.req("R6.1")
def test_the_check_is_an_audited_system_action(website, channels):
    add_pages(website, "/sociala-medier", "/saknas")
    check_website_links(SystemActor("worker"), limits=FAST)
    event = AuditEvent.objects.get(action="registry.website.link_check")
    assert event.actor_label == "system:worker"
    assert event.payload["pages_checked"] == 2
    assert event.payload["unlinked_count"] == 5  # bluesky, linkedin, tiktok, big × 2
    assert event.payload["pages_failed"] == [{"url": website + "/saknas", "error": "HTTP 404"}]


def test_someone_without_the_permission_cannot_run_it(website, channels, make_user):
    add_pages(website, "/sociala-medier")
    with pytest.raises(PermissionDenied):
        check_website_links(make_user(Role.ACCOUNT_OWNER), limits=FAST)
    assert WebsitePage.objects.get().last_checked_at is None  # nothing was fetched
    assert AuditEvent.objects.filter(action="access.denied").exists()


@pytest.mark.req("R6.1")
def test_a_page_that_never_answers_times_out_quickly(silent_server, website, channels):
    add_pages(website, silent_server, "/droppar", "/sociala-medier")
    started = time.monotonic()
    report = check_website_links(SystemActor("worker"), limits=FAST)
    elapsed = time.monotonic() - started
    assert elapsed < 3.5  # deadline 2 s (+ the last read's 1 s at worst), fetched in parallel
    errors = {p.url: p.error for p in report.pages}
    assert errors[silent_server].startswith("no answer in time")
    assert errors[website + "/droppar"] == "took longer than 2 s"
    assert report.conclusive and report.found_on  # the good page still counts


@pytest.mark.req("R6.1")
def test_a_50_mb_page_is_cut_at_the_size_cap(website, channels):
    add_pages(website, "/stor")
    tracemalloc.start()
    started = time.monotonic()
    report = check_website_links(SystemActor("worker"), limits=Limits(deadline=20.0))
    elapsed = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    [page] = report.pages
    assert page.truncated and page.bytes_read == 5 * MB
    assert "cut at 5,242,880 bytes" in WebsitePage.objects.get().last_error
    assert peak < 40 * MB  # the cap, its copy for the parser and the parse tree; not 50 MB
    assert elapsed < 10
    # The link at the top was read; the one at the very end never was.
    assert channels["big_first"].pk in report.found_on
    assert channels["big_last"] in report.unlinked
    time.sleep(0.2)  # let the server notice the closed connection
    assert Site.sent_bytes.get("/stor", 0) < 50 * MB


def test_redirect_loops_and_other_schemes_are_refused(website, channels):
    add_pages(website, "/slinga", "/till-ftp")
    report = check_website_links(SystemActor("worker"), limits=FAST)
    errors = {p.url.removeprefix(website): p.error for p in report.pages}
    assert errors == {
        "/slinga": "more than 5 redirects",
        "/till-ftp": "only http and https are fetched: ftp://osby.se/",
    }


def test_when_no_page_can_be_read_channels_are_left_as_they_were(website, channels):
    add_pages(website, "/saknas")
    report = check_website_links(SystemActor("worker"), limits=FAST)
    assert not report.conclusive and report.unlinked == []
    assert not Channel.objects.filter(website_linked__isnull=False).exists()


@pytest.mark.req("R6.1")
def test_cli_prints_unlinked_channels_and_exits_1(website, channels, capsys):
    add_pages(website, "/sociala-medier", "/flyttad", "/packad")
    assert cli.main(["registry", "check-links"]) == 1
    out = capsys.readouterr().out
    assert f"NOT LINKED: {channels['tiktok']}" in out
    assert f"LINKED BUT CLOSED: {channels['closed']}" in out
    assert "Active channels: 10, linked from the website: 7, not linked: 3" in out


def test_cli_exits_0_when_all_are_linked_and_2_without_pages(website, capsys):
    make_channel(handle="osbybibliotek")
    assert cli.main(["registry", "check-links"]) == 2  # no pages configured
    add_pages(website, "/sociala-medier")
    assert cli.main(["registry", "check-links"]) == 0
    assert "not linked: 0" in capsys.readouterr().out


@pytest.mark.req("R6.1")
def test_the_check_is_scheduled_daily_in_the_worker(website, channels):
    job = ScheduledJob.objects.get(name="registry-website-link-check")
    assert job.interval_seconds == 24 * 60 * 60 and job.enabled
    assert import_string(job.task_path) is tasks.check_website_links
    add_pages(website, "/sociala-medier")
    result = tasks.check_website_links.enqueue()  # the immediate backend in tests
    assert result.return_value["channels_checked"] == 10
    assert Channel.objects.filter(website_linked=True).count() == 5
