"""Mastodon REST API: statuses (account statuses, timelines), status context,
notifications, conversations, and status edit history.

``content`` is HTML and is stored as given; ``text_plain`` is extracted with
a real HTML parser (never rendered or executed). A content warning
(``spoiler_text``) is kept as ``title``.

What belongs to the channel (R7.5): its own statuses (not boosts), and
statuses said to it — replying to it, mentioning it, or inside a thread it
started. Other accounts' home-timeline statuses are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any

from kanalvakt.capture.normalize._common import (
    guarded,
    html_to_text,
    objects_of,
    optional_time,
    parse_time,
    require_str,
    text_field,
)
from kanalvakt.capture.types import (
    CapturedItem,
    CaptureResult,
    ChannelIdentity,
    MediaRef,
    Skipped,
)

PLATFORM = "mastodon"
_LINK_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')
_MAX_ID = re.compile(r"[?&]max_id=([^&]+)")


def items_from_statuses(
    payload: Any,
    identity: ChannelIdentity,
    *,
    own_thread_root_ids: Collection[str] = (),
) -> Iterator[CaptureResult]:
    """A list of statuses (account statuses, home/list timelines, a lookup)."""
    roots = set(own_thread_root_ids)
    return guarded(PLATFORM, objects_of(payload), lambda s: _status(s, identity, roots, None))


def items_from_context(
    payload: dict[str, Any], identity: ChannelIdentity, *, status_id: str
) -> Iterator[CaptureResult]:
    """``/statuses/{id}/context``: ancestors and descendants of ``status_id``.

    The thread is the channel's when its first ancestor is the channel's, or
    (no ancestors: ``status_id`` is the root) a descendant answers the root
    and names the channel as the account it replies to.
    """
    ancestors = payload.get("ancestors") or []
    descendants = payload.get("descendants") or []
    if ancestors:
        root_id = str(ancestors[0].get("id"))
        own_thread = identity.is_self((ancestors[0].get("account") or {}).get("id"))
    else:
        root_id = status_id
        own_thread = any(
            d.get("in_reply_to_id") == status_id
            and identity.is_self(d.get("in_reply_to_account_id"))
            for d in descendants
            if isinstance(d, dict)
        )
    roots = {root_id} if own_thread else set()
    return guarded(
        PLATFORM,
        [*ancestors, *descendants],
        lambda s: _status(s, identity, roots, root_id),
    )


def items_from_notifications(payload: Any, identity: ChannelIdentity) -> Iterator[CaptureResult]:
    """Notifications of type ``mention`` (replies and direct messages arrive
    as mentions) and ``status``; other types carry no new communication."""

    def one(raw: dict[str, Any]) -> Iterator[CaptureResult]:
        note_id = require_str(raw, "id")
        kind = raw.get("type")
        if kind not in ("mention", "status"):
            yield Skipped(f"notification of type {kind!r} carries no message", note_id)
            return
        if not raw.get("status"):
            yield Skipped("mention whose status is gone (deleted or not visible)", note_id)
            return
        yield from _status(raw["status"], identity, set(), None)

    return guarded(PLATFORM, objects_of(payload), one)


def items_from_conversations(payload: Any, identity: ChannelIdentity) -> Iterator[CaptureResult]:
    """``/conversations``: the last status of each direct conversation."""

    def one(raw: dict[str, Any]) -> Iterator[CaptureResult]:
        require_str(raw, "id")
        if not raw.get("last_status"):
            yield Skipped("conversation without a visible status", str(raw["id"]))
            return
        yield from _status(raw["last_status"], identity, set(), None)

    return guarded(PLATFORM, objects_of(payload), one)


def versions_from_history(
    payload: list[dict[str, Any]], identity: ChannelIdentity, *, status: dict[str, Any]
) -> Iterator[CaptureResult]:
    """``/statuses/{id}/history``: one CapturedItem per revision, oldest
    first, all with the status's id; each revision after the first is an
    edit at its ``created_at``."""
    base = list(_status(status, identity, set(), None))
    if not base or not isinstance(base[0], CapturedItem):
        yield from base
        return
    current = base[0]
    first_created: Any = None

    def one(edit: dict[str, Any]) -> Iterator[CaptureResult]:
        nonlocal first_created
        when = parse_time(edit["created_at"])
        if first_created is None:
            first_created = when
        content = text_field(edit, "content")
        yield CapturedItem(
            **{
                **_fields(current),
                "text": content,
                "text_plain": html_to_text(content),
                "title": edit.get("spoiler_text") or None,
                "created_at": first_created,
                "edited_at": None if when == first_created else when,
                "media": tuple(_media_refs(edit)),
                "raw": edit,
            }
        )

    yield from guarded(PLATFORM, payload, one)


def next_max_id(link_header: str | None) -> str | None:
    """The ``max_id`` of the rel="next" link in a Link header."""
    if not link_header:
        return None
    link = _LINK_NEXT.search(link_header)
    if not link:
        return None
    found = _MAX_ID.search(link.group(1))
    return found.group(1) if found else None


def _fields(item: CapturedItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in item.__dataclass_fields__}


def _status(
    raw: dict[str, Any], identity: ChannelIdentity, own_roots: set[str], root_id: str | None
) -> Iterator[CaptureResult]:
    status_id = require_str(raw, "id")
    account = raw["account"]
    author = str(account["id"])
    if raw.get("reblog"):
        yield Skipped("boost of another account's status (R7.5)", status_id)
        return
    is_owner = identity.is_self(author)
    parent = raw.get("in_reply_to_id")
    parent = None if parent is None else str(parent)
    thread_root = status_id if parent is None else root_id
    mentioned = any(identity.is_self(m.get("id"), None) for m in raw.get("mentions") or [])
    said_to_channel = (
        identity.is_self(raw.get("in_reply_to_account_id"))
        or mentioned
        or (thread_root is not None and thread_root in own_roots)
    )
    if not is_owner and not said_to_channel:
        yield Skipped("status of another account outside this channel's threads (R7.5)", status_id)
        return
    if raw.get("visibility") == "direct":
        kind = "direct_message"
    elif parent is None:
        kind = "post"
    else:
        kind = "comment" if parent == thread_root else "reply"
    content = text_field(raw, "content")
    yield CapturedItem(
        platform=PLATFORM,
        external_id=status_id,
        kind=kind,
        parent_external_id=parent,
        root_external_id=thread_root,
        author_external_id=author,
        author_display_name=account.get("display_name") or None,
        author_handle=account.get("acct"),
        author_is_owner=is_owner,
        text=content,
        text_plain=html_to_text(content),
        title=raw.get("spoiler_text") or None,
        language=raw.get("language"),
        created_at=parse_time(raw["created_at"]),
        edited_at=optional_time(raw.get("edited_at")),
        url=raw.get("url") or raw.get("uri"),
        media=tuple(_media_refs(raw)),
        raw=raw,
    )


def _media_refs(raw: dict[str, Any]) -> Iterator[MediaRef]:
    for attachment in raw.get("media_attachments") or []:
        url = attachment.get("url") or attachment.get("remote_url")
        if url:
            yield MediaRef(url, None, str(attachment["id"]) if attachment.get("id") else None)
