"""RSS 2.0 / Atom feeds of the channel's own site or blog (feedparser).

Every entry of the channel's own feed is its own publication. An entry whose
link points to another host than the feed's site is skipped (aggregated
content is not the channel's own, R7.5). HTML is kept as given
(``sanitize_html=False``); ``text_plain`` is extracted by a parser.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from kanalvakt.capture.normalize._common import guarded, html_to_text
from kanalvakt.capture.types import (
    CapturedItem,
    CaptureError,
    CaptureResult,
    ChannelIdentity,
    Skipped,
)

PLATFORM = "rss"


def items_from_feed(document: bytes | str, identity: ChannelIdentity) -> Iterator[CaptureResult]:
    """``identity.account_id`` is the feed URL; its host (and the feed's own
    ``<link>`` host) count as the channel's site."""
    parsed = feedparser.parse(document, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        yield CaptureError(PLATFORM, None, f"unreadable feed: {parsed.bozo_exception}", None)
        return
    own_hosts = {_host(identity.account_id), _host(parsed.feed.get("link"))} - {None}
    author_name = parsed.feed.get("title")
    return_entries = [dict(entry) for entry in parsed.entries]
    yield from guarded(
        PLATFORM, return_entries, lambda e: _entry(e, identity, own_hosts, author_name)
    )


def _entry(
    entry: dict[str, Any], identity: ChannelIdentity, own_hosts: set[str], author_name: str | None
) -> Iterator[CaptureResult]:
    link = entry.get("link")
    external_id = entry.get("id") or link
    if not external_id:
        raise ValueError("entry has neither id/guid nor link")
    if link and own_hosts and _host(link) not in own_hosts:
        yield Skipped("entry links to another site than the channel's (R7.5)", external_id)
        return
    published = _struct_time(entry.get("published_parsed"))
    updated = _struct_time(entry.get("updated_parsed"))
    created = published or updated
    if created is None:
        raise ValueError("entry has no published or updated date")
    contents = entry.get("content") or []
    html = contents[0].get("value") if contents else entry.get("summary", "")
    yield CapturedItem(
        platform=PLATFORM,
        external_id=str(external_id),
        kind="post",
        parent_external_id=None,
        root_external_id=str(external_id),
        author_external_id=identity.account_id,
        author_display_name=entry.get("author") or author_name,
        author_is_owner=True,
        title=entry.get("title"),
        text=html or "",
        text_plain=html_to_text(html or ""),
        language=(entry.get("title_detail") or {}).get("language"),
        created_at=created,
        edited_at=updated if published and updated and updated != published else None,
        url=link,
        raw=_jsonable(entry),
    )


def _struct_time(value: Any) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), UTC)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _jsonable(value: Any) -> Any:
    """feedparser returns dict subclasses and time.struct_time; the raw must
    be JSON-compatible."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if hasattr(value, "tm_year"):
            return datetime.fromtimestamp(calendar.timegm(value), UTC).isoformat()
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
