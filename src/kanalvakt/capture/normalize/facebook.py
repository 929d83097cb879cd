"""Meta Graph API responses for a Facebook Page: feed/posts, comments (with
replies), and Page conversations/messages.

Graph ids: a post is ``{page_id}_{post_id}``; a comment is
``{post_id}_{comment_id}``; its permalink carries ``comment_id`` and, for a
reply, ``reply_comment_id``. Fields the caller did not request are absent, so
ids and threading are derived from the permalink when ``id``/``parent`` are
missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kanalvakt.capture.normalize._common import (
    guarded,
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

PLATFORM = "facebook"


def items_from_feed_page(
    payload: dict[str, Any],
    identity: ChannelIdentity,
    *,
    assume_page_author: bool = False,
) -> Iterator[CaptureResult]:
    """Posts of ``/{page}/feed``, ``/{page}/posts`` or ``?ids=`` lookups, with
    any embedded ``comments`` edges.

    ``assume_page_author``: set for ``/posts`` and ``/published_posts``, which
    only return the Page's own posts, so a post without ``from`` is the
    Page's. On ``/feed`` (visitor posts too) request ``from`` instead; without
    it the author stays unknown and the post counts as received.
    """
    return guarded(
        PLATFORM, objects_of(payload), lambda raw: _post(raw, identity, assume_page_author)
    )


def items_from_comments_page(
    payload: dict[str, Any],
    identity: ChannelIdentity,
    *,
    post_external_id: str | None = None,
) -> Iterator[CaptureResult]:
    """``/{object}/comments`` (``filter=stream`` gives replies flat)."""
    return guarded(
        PLATFORM,
        objects_of(payload),
        lambda raw: _comment_tree(raw, identity, post_external_id, parent_id=None),
    )


def items_from_messages_page(
    payload: dict[str, Any],
    identity: ChannelIdentity,
    *,
    conversation_id: str | None = None,
) -> Iterator[CaptureResult]:
    """``/{conversation}/messages``, a message lookup, or ``/{page}/conversations``
    with a ``messages`` edge embedded."""

    def one(raw: dict[str, Any]) -> Iterator[CaptureResult]:
        if "messages" in raw:  # a conversation with its messages embedded
            for message in raw["messages"].get("data", []):
                yield from guarded(PLATFORM, [message], lambda m: _message(m, identity, raw["id"]))
            return
        yield from _message(raw, identity, conversation_id)

    return guarded(PLATFORM, objects_of(payload), one)


def next_cursor(payload: dict[str, Any]) -> str | None:
    """The ``after`` cursor when there is a next page."""
    paging = payload.get("paging") or {}
    if not paging.get("next"):
        return None
    return (paging.get("cursors") or {}).get("after")


def next_page_url(payload: dict[str, Any]) -> str | None:
    """Graph's own next-page URL (time-based paging has no cursor)."""
    return (payload.get("paging") or {}).get("next")


def _post(
    raw: dict[str, Any], identity: ChannelIdentity, assume_page_author: bool
) -> Iterator[CaptureResult]:
    post_id = require_str(raw, "id")
    page_id = post_id.split("_", 1)[0] if "_" in post_id else None
    author = raw.get("from") or {}
    author_id = author.get("id")
    if author_id is None and assume_page_author and page_id == identity.account_id:
        author_id, author_name = identity.account_id, None
    else:
        author_name = author.get("name")
    own_page = page_id == identity.account_id
    if not own_page and not identity.is_self(author_id):
        yield Skipped("post on another page or group, not this channel's (R7.5)", post_id)
        return
    yield CapturedItem(
        platform=PLATFORM,
        external_id=post_id,
        kind="post",
        parent_external_id=None,
        root_external_id=post_id,
        author_external_id=author_id,
        author_display_name=author_name,
        author_is_owner=identity.is_self(author_id),
        text=text_field(raw, "message"),
        created_at=parse_time(raw["created_time"]),
        url=raw.get("permalink_url"),
        media=tuple(_attachment_media(raw)),
        raw=raw,
    )
    comments = (raw.get("comments") or {}).get("data") or []
    for comment in comments:
        yield from guarded(
            PLATFORM, [comment], lambda c: _comment_tree(c, identity, post_id, parent_id=post_id)
        )


def _comment_tree(
    raw: dict[str, Any],
    identity: ChannelIdentity,
    post_external_id: str | None,
    parent_id: str | None,
) -> Iterator[CaptureResult]:
    link = _permalink_ids(raw.get("permalink_url"))
    root_id = post_external_id or link.get("post")
    comment_id = raw.get("id") or link.get("comment")
    if not comment_id:
        raise ValueError("comment has neither id nor a permalink with comment_id")
    page_id = link.get("page") or (root_id.split("_", 1)[0] if root_id and "_" in root_id else None)
    if page_id is not None and page_id != identity.account_id:
        yield Skipped("comment on another page's post (R7.5)", comment_id)
        return
    if page_id is None:
        yield Skipped("cannot tell which page the comment is on (R7.5)", comment_id)
        return
    parent = (raw.get("parent") or {}).get("id") or link.get("parent") or parent_id or root_id
    author = raw.get("from") or {}
    author_id = author.get("id")
    yield CapturedItem(
        platform=PLATFORM,
        external_id=str(comment_id),
        kind="comment" if parent == root_id else "reply",
        parent_external_id=parent,
        root_external_id=root_id,
        author_external_id=author_id,
        author_display_name=author.get("name"),
        author_is_owner=identity.is_self(author_id),
        text=text_field(raw, "message"),
        created_at=parse_time(raw["created_time"]),
        url=raw.get("permalink_url"),
        media=tuple(_attachment_media({"attachments": {"data": [raw["attachment"]]}}))
        if raw.get("attachment")
        else (),
        raw=raw,
    )
    for reply in (raw.get("comments") or {}).get("data") or []:
        yield from guarded(
            PLATFORM,
            [reply],
            lambda r: _comment_tree(r, identity, root_id, parent_id=str(comment_id)),
        )


def _message(
    raw: dict[str, Any], identity: ChannelIdentity, conversation_id: str | None
) -> Iterator[CaptureResult]:
    message_id = require_str(raw, "id")
    sender = raw["from"]
    recipients = [r.get("id") for r in (raw.get("to") or {}).get("data", [])]
    if not identity.is_self(sender.get("id")) and identity.account_id not in recipients:
        yield Skipped("message in a conversation this page is not part of (R7.5)", message_id)
        return
    media = []
    for attachment in (raw.get("attachments") or {}).get("data", []):
        data = attachment.get("image_data") or attachment.get("video_data") or {}
        url = data.get("url") or attachment.get("file_url")
        if url:
            media.append(MediaRef(url, attachment.get("mime_type"), attachment.get("id")))
    yield CapturedItem(
        platform=PLATFORM,
        external_id=message_id,
        kind="direct_message",
        parent_external_id=None,
        root_external_id=conversation_id,
        author_external_id=sender.get("id"),
        author_display_name=sender.get("name"),
        author_is_owner=identity.is_self(sender.get("id")),
        text=text_field(raw, "message"),
        created_at=parse_time(raw["created_time"]),
        edited_at=optional_time(raw.get("updated_time")) if raw.get("is_edited") else None,
        media=tuple(media),
        raw=raw,
    )


def _permalink_ids(permalink: str | None) -> dict[str, str]:
    """Ids from https://www.facebook.com/{page}/posts/{post}/?comment_id=..&reply_comment_id=.."""
    if not permalink:
        return {}
    parts = urlsplit(permalink)
    segments = [s for s in parts.path.split("/") if s]
    found: dict[str, str] = {}
    if len(segments) >= 3 and segments[1] == "posts":
        page, post = segments[0], segments[2]
        found["page"], found["post"] = page, f"{page}_{post}"
        query = parse_qs(parts.query)
        comment = (query.get("comment_id") or [None])[0]
        reply = (query.get("reply_comment_id") or [None])[0]
        if reply and comment:
            found["comment"], found["parent"] = f"{post}_{reply}", f"{post}_{comment}"
        elif comment:
            found["comment"] = f"{post}_{comment}"
    return found


def _attachment_media(raw: dict[str, Any]) -> Iterator[MediaRef]:
    for attachment in (raw.get("attachments") or {}).get("data", []):
        subs = (attachment.get("subattachments") or {}).get("data") or [attachment]
        for sub in subs:
            image = (sub.get("media") or {}).get("image") or {}
            if image.get("src"):
                target = sub.get("target") or {}
                yield MediaRef(image["src"], None, target.get("id"))
