"""Instagram Graph API responses: the account's media, comments on it, and
replies to those comments.

``/{ig-user}/media`` only lists the account's own media, so media without an
``owner`` field are the account's; media whose ``owner`` is someone else
(tagged media, hashtag search) are not this channel's (R7.5).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kanalvakt.capture.normalize._common import (
    guarded,
    objects_of,
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

PLATFORM = "instagram"


def items_from_media_page(
    payload: dict[str, Any], identity: ChannelIdentity
) -> Iterator[CaptureResult]:
    """``/{ig-user}/media`` or media lookups, with embedded ``comments``."""
    return guarded(PLATFORM, objects_of(payload), lambda raw: _media(raw, identity))


def items_from_comments_page(
    payload: dict[str, Any], identity: ChannelIdentity, *, media_id: str
) -> Iterator[CaptureResult]:
    """``/{media}/comments``; embedded ``replies`` become replies."""
    return guarded(
        PLATFORM, objects_of(payload), lambda raw: _comment(raw, identity, media_id, None)
    )


def items_from_replies_page(
    payload: dict[str, Any], identity: ChannelIdentity, *, media_id: str, comment_id: str
) -> Iterator[CaptureResult]:
    """``/{comment}/replies``."""
    return guarded(
        PLATFORM, objects_of(payload), lambda raw: _comment(raw, identity, media_id, comment_id)
    )


def next_cursor(payload: dict[str, Any]) -> str | None:
    paging = payload.get("paging") or {}
    if not paging.get("next"):
        return None
    return (paging.get("cursors") or {}).get("after")


def _media(raw: dict[str, Any], identity: ChannelIdentity) -> Iterator[CaptureResult]:
    media_id = require_str(raw, "id")
    owner_id = (raw.get("owner") or {}).get("id")
    username = raw.get("username")
    if owner_id is not None or username is not None:
        if not identity.is_self(owner_id, username):
            yield Skipped("media of another account (R7.5)", media_id)
            return
    else:
        owner_id = identity.account_id
    yield CapturedItem(
        platform=PLATFORM,
        external_id=media_id,
        kind="post",
        parent_external_id=None,
        root_external_id=media_id,
        author_external_id=owner_id or identity.account_id,
        author_display_name=None,
        author_handle=username or identity.handle,
        author_is_owner=True,
        text=text_field(raw, "caption"),
        created_at=parse_time(raw["timestamp"]),
        url=raw.get("permalink"),
        media=tuple(_media_refs(raw)),
        raw=raw,
    )
    for comment in (raw.get("comments") or {}).get("data") or []:
        yield from guarded(PLATFORM, [comment], lambda c: _comment(c, identity, media_id, None))


def _comment(
    raw: dict[str, Any], identity: ChannelIdentity, media_id: str, parent_comment: str | None
) -> Iterator[CaptureResult]:
    comment_id = require_str(raw, "id")
    media_id = (raw.get("media") or {}).get("id") or media_id
    parent = raw.get("parent_id") or parent_comment
    author_id = (raw.get("from") or {}).get("id") or (raw.get("user") or {}).get("id")
    username = (raw.get("from") or {}).get("username") or raw.get("username")
    yield CapturedItem(
        platform=PLATFORM,
        external_id=comment_id,
        kind="reply" if parent else "comment",
        parent_external_id=parent or media_id,
        root_external_id=media_id,
        author_external_id=author_id,
        author_display_name=None,
        author_handle=username,
        author_is_owner=identity.is_self(author_id, username),
        text=text_field(raw, "text"),
        created_at=parse_time(raw["timestamp"]),
        raw=raw,
    )
    for reply in (raw.get("replies") or {}).get("data") or []:
        yield from guarded(PLATFORM, [reply], lambda r: _comment(r, identity, media_id, comment_id))


def _media_refs(raw: dict[str, Any]) -> Iterator[MediaRef]:
    children = (raw.get("children") or {}).get("data") or [raw]
    for child in children:
        url = child.get("media_url") or child.get("thumbnail_url")
        if url:
            yield MediaRef(url, None, child.get("id"))
