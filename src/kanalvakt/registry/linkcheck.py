"""Website link check (R6.1): is every active channel linked from the municipality's website?

The website pages to read are the WebsitePage rows. Each is fetched with hard limits (only
http/https, at most MAX_REDIRECTS redirects, connect and read timeouts, a total deadline per
page, at most MAX_PAGE_BYTES read — a bigger page is cut, not read to the end), parsed
with lxml's HTML parser (nothing is executed or loaded from it), and its links reduced to
comparable keys (`link_key`). A channel is linked when one of its keys is among them.

Results are stored on the channels and pages and audited, as the system action
"registry.website.link_check". Fetching happens before the action's transaction opens.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

import httpx
import lxml.etree
import lxml.html
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kanalvakt.core.actions import action
from kanalvakt.organisation import access
from kanalvakt.registry.models import Channel, WebsitePage

PERMISSION = "registry.activate_channel"
MAX_PAGE_BYTES = 5 * 1024 * 1024
CONNECT_TIMEOUT = 5.0  # seconds to open a connection
READ_TIMEOUT = 10.0  # seconds of silence while waiting for data
PAGE_DEADLINE = 30.0  # seconds for a page in all (redirects included); see fetch_page
MAX_REDIRECTS = 5
PARALLEL_FETCHES = 4
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_PAGE_BYTES
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    deadline: float = PAGE_DEADLINE
    max_redirects: int = MAX_REDIRECTS


# ------------------------------------------------------------------ comparable link keys

# Hosts that mean the same site; "m."/"mobile." are stripped only on these social sites.
HOST_ALIASES = {"twitter.com": "x.com", "fb.com": "facebook.com", "fb.me": "facebook.com"}
SOCIAL_HOSTS = {
    "facebook.com",
    "instagram.com",
    "x.com",
    "tiktok.com",
    "linkedin.com",
    "youtube.com",
    "bsky.app",
}
# How many path segments name the account on a social site, and the profile tabs
# (…/@osby/videos, …/company/osby/about) that still point at the same account.
ACCOUNT_DEPTH = {"linkedin.com": 2, "bsky.app": 2}
PROFILE_TABS = {
    "about",
    "community",
    "featured",
    "guides",
    "highlights",
    "likes",
    "media",
    "photos",
    "playlists",
    "posts",
    "reels",
    "shorts",
    "streams",
    "tagged",
    "videos",
    "with_replies",
}


def _host(parts) -> str:
    host = (parts.hostname or "").rstrip(".")  # .hostname is lower case already
    host = host.removeprefix("www.")
    for prefix in ("m.", "mobile."):
        rest = host.removeprefix(prefix)
        if rest != host and HOST_ALIASES.get(rest, rest) in SOCIAL_HOSTS:
            host = rest
    host = HOST_ALIASES.get(host, host)
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    return host


def _account_segments(host: str, segments: list[str], query: dict) -> tuple[list[str], str]:
    """Reduce the path to the account it names, for the URL forms platforms use."""
    if host == "youtube.com" and len(segments) >= 2 and segments[0] in ("c", "user"):
        segments = ["@" + segments[1], *segments[2:]]  # legacy custom URL ≈ the handle
    if host == "x.com" and segments[:2] in (["intent", "follow"], ["intent", "user"]):
        name = query.get("screen_name")
        return ([name] if name else segments), ""
    if host == "facebook.com" and segments == ["profile.php"] and query.get("id"):
        return segments, urlencode({"id": query["id"]})
    if host not in SOCIAL_HOSTS:  # Mastodon servers: /users/osby, /web/@osby → /@osby
        if len(segments) >= 2 and segments[0] == "users":
            segments = ["@" + segments[1], *segments[2:]]
        elif len(segments) >= 2 and segments[0] == "web" and segments[1].startswith("@"):
            segments = segments[1:]
        if len(segments) == 2 and segments[0].startswith("@") and segments[1] in PROFILE_TABS:
            segments = segments[:1]
        return segments, ""
    depth = ACCOUNT_DEPTH.get(host, 1)
    if len(segments) == depth + 1 and segments[depth] in PROFILE_TABS:
        segments = segments[:depth]
    return segments, ""


def link_key(url: str) -> str | None:
    """A key equal for every form of a link to the same account: scheme, www., m.,
    twitter.com/x.com, letter case, trailing slash, query string and fragment ignored,
    Mastodon /users/x = /@x, YouTube /c/x = /user/x = /@x, profile tabs dropped.
    None for what cannot be an account link (mailto:, javascript:, relative junk)."""
    try:
        parts = urlsplit(url.strip())
        host = _host(parts)
    except ValueError:  # an invalid port or IPv6 literal
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    segments = [s for s in unquote(parts.path).lower().split("/") if s]
    query = {k.lower(): v.lower() for k, v in parse_qsl(parts.query)}
    segments, kept_query = _account_segments(host, segments, query)
    key = host + ("/" + "/".join(segments) if segments else "")
    return f"{key}?{kept_query}" if kept_query else key


def channel_keys(channel: Channel) -> set[str]:
    """The keys a link to this channel may have: its address, and the platform's address
    for its handle (in case the stored address was entered in another form)."""
    urls = [channel.url]
    if channel.platform.url_template:
        urls.append(channel.platform.url_for(channel.handle))
    return {key for key in map(link_key, urls) if key}


# ------------------------------------------------------------------------ fetching a page


class PageError(Exception):
    pass


@dataclass
class PageResult:
    url: str
    final_url: str = ""
    keys: set[str] = field(default_factory=set)
    error: str = ""  # the page could not be read
    note: str = ""  # read, with a caveat
    bytes_read: int = 0
    truncated: bool = False

    @property
    def readable(self) -> bool:
        """Read as HTML (possibly cut at the size cap), so its links count."""
        return bool(self.final_url) and not self.error


def _decoded(response: httpx.Response, limit: int) -> Iterator[bytes]:
    """The body, decompressed in bounded steps so a small gzip bomb cannot fill memory."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        yield from response.iter_raw()
        return
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise PageError(f"unsupported content encoding {encoding!r}")
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
    try:
        for chunk in response.iter_raw():
            data = chunk
            while data:
                yield decoder.decompress(data, min(limit, 1 << 16))
                data = decoder.unconsumed_tail
    except zlib.error as exc:
        raise PageError(f"broken {encoding} data: {exc}") from None


def _read_html(response: httpx.Response, result: PageResult, limits: Limits, ends: float):
    chunks, size = [], 0
    for chunk in _decoded(response, limits.max_bytes):
        if time.monotonic() > ends:
            raise PageError(f"took longer than {limits.deadline:g} s")
        if size + len(chunk) > limits.max_bytes:
            chunks.append(chunk[: limits.max_bytes - size])
            size = limits.max_bytes
            result.truncated = True
            result.note = f"cut at {limits.max_bytes:,} bytes: links further down were not read"
            break  # the rest is never read; closing the response drops the connection
        chunks.append(chunk)
        size += len(chunk)
    result.bytes_read = size
    return b"".join(chunks)


def _links(body: bytes, base_url: str, charset: str | None) -> set[str]:
    if not body.strip():
        return set()
    try:
        parser = lxml.html.HTMLParser(encoding=charset, no_network=True, remove_comments=True)
        document = lxml.html.document_fromstring(body, parser=parser)
    except (lxml.etree.ParserError, LookupError, ValueError):
        return set()
    base = base_url
    for href in document.xpath("//base/@href")[:1]:
        base = urljoin(base_url, href.strip())
    keys = set()
    for href in document.xpath("//a/@href | //area/@href | //link/@href"):
        try:
            key = link_key(urljoin(base, href.strip()))
        except ValueError:
            continue
        if key:
            keys.add(key)
    return keys


def fetch_page(client: httpx.Client, url: str, limits: Limits) -> PageResult:
    """Fetch one page within the limits. Never raises: a failure is the result's error.
    The deadline is checked between redirects and chunks, so a page that trickles data
    ends within deadline + read timeout."""
    result = PageResult(url=url)
    ends = time.monotonic() + limits.deadline
    current = url
    try:
        for _hop in range(limits.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                raise PageError(f"only http and https are fetched: {current}")
            remaining = ends - time.monotonic()
            if remaining <= 0:
                raise PageError(f"took longer than {limits.deadline:g} s")
            timeout = httpx.Timeout(
                limits.read_timeout,
                connect=min(limits.connect_timeout, remaining),
                read=min(limits.read_timeout, remaining),
            )
            with client.stream("GET", current, timeout=timeout) as response:
                if response.is_redirect:
                    current = urljoin(current, response.headers["location"])
                    continue
                if response.status_code != 200:
                    raise PageError(f"HTTP {response.status_code}")
                content_type = response.headers.get("content-type", "")
                if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                    raise PageError(f"not an HTML page ({content_type or 'no content type'})")
                body = _read_html(response, result, limits, ends)
                result.final_url = str(response.url)
                result.keys = _links(body, result.final_url, response.charset_encoding)
                return result
        raise PageError(f"more than {limits.max_redirects} redirects")
    except PageError as exc:
        result.error = str(exc)
    except httpx.TimeoutException as exc:
        result.error = f"no answer in time ({type(exc).__name__})"
    except httpx.HTTPError as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:300]
    result.final_url = ""
    return result


def fetch_pages(urls: list[str], limits: Limits) -> list[PageResult]:
    if not urls:
        return []
    headers = {
        "User-Agent": f"Kanalvakt-linkcheck/1 (+{settings.SITE_URL})",
        "Accept": "text/html,application/xhtml+xml",
        "Accept-Encoding": "gzip, identity",
    }
    with (
        httpx.Client(headers=headers, follow_redirects=False) as client,
        ThreadPoolExecutor(max_workers=min(PARALLEL_FETCHES, len(urls))) as pool,
    ):
        return list(pool.map(lambda url: fetch_page(client, url, limits), urls))


# ------------------------------------------------------------------------ the check


@dataclass
class LinkCheckReport:
    pages: list[PageResult]
    checked: list[Channel] = field(default_factory=list)
    unlinked: list[Channel] = field(default_factory=list)
    found_on: dict[int, str] = field(default_factory=dict)  # channel id → page
    linked_but_not_listed: list[Channel] = field(default_factory=list)

    @property
    def conclusive(self) -> bool:
        """False when no page could be read: then nothing is said about the channels."""
        return any(page.readable for page in self.pages)

    def summary(self) -> dict:
        return {
            "pages_checked": len(self.pages),
            "pages_failed": [{"url": p.url, "error": p.error} for p in self.pages if p.error],
            "pages_cut_at_size_cap": [p.url for p in self.pages if p.truncated],
            "conclusive": self.conclusive,
            "channels_checked": len(self.checked),
            "channels_unlinked": [c.pk for c in self.unlinked],
            "unlinked_count": len(self.unlinked),
            "linked_but_not_listed": [c.pk for c in self.linked_but_not_listed],
        }


def check_website_links(actor, *, limits: Limits | None = None) -> LinkCheckReport:
    """Fetch every WebsitePage and record which active channels none of them links to."""
    if not access.can(actor, PERMISSION):
        record_link_check(actor, [], [])  # audits the refusal and raises PermissionDenied
        raise PermissionDenied(PERMISSION)
    pages = list(WebsitePage.objects.order_by("url"))
    results = fetch_pages([page.url for page in pages], limits or Limits())
    return record_link_check(actor, pages, results)


@action("registry.website.link_check", permission=PERMISSION)
def record_link_check(ctx, pages: list[WebsitePage], results: list[PageResult]):
    now = timezone.now()
    for page, result in zip(pages, results, strict=True):
        WebsitePage.objects.filter(pk=page.pk).update(
            last_checked_at=now, last_error=(result.error or result.note)[:500]
        )
    report = LinkCheckReport(pages=results)
    if report.conclusive:
        _match_channels(report, now)
    ctx.audit(None, report.summary())
    return report


def _match_channels(report: LinkCheckReport, now) -> None:
    readable = [page for page in report.pages if page.readable]
    channels = Channel.objects.select_related("platform", "org_unit").order_by("display_name")
    for channel in channels.filter(
        status__in=[Channel.Status.ACTIVE, Channel.Status.PAUSED, Channel.Status.CLOSED]
    ):
        keys = channel_keys(channel)
        page = next((p for p in readable if keys & p.keys), None)
        if not channel.is_listed:
            if page:  # the website still points at a paused or closed account
                report.linked_but_not_listed.append(channel)
            continue
        report.checked.append(channel)
        if page:
            report.found_on[channel.pk] = page.url
        else:
            report.unlinked.append(channel)
    # A few UPDATEs in bulk, not one per channel; updated_at is left alone on purpose,
    # so the public directory's cache is not invalidated by a check.
    Channel.objects.filter(pk__in=[c.pk for c in report.unlinked]).update(
        website_linked=False, website_link_checked_at=now, website_link_found_on=""
    )
    by_page: dict[str, list[int]] = {}
    for channel_id, page_url in report.found_on.items():
        by_page.setdefault(page_url, []).append(channel_id)
    for page_url, ids in by_page.items():
        Channel.objects.filter(pk__in=ids).update(
            website_linked=True, website_link_checked_at=now, website_link_found_on=page_url
        )
