"""Bluesky (AT Protocol) AppView responses: ``app.bsky.feed.getAuthorFeed``
and ``app.bsky.feed.getPostThread``, and bare ``app.bsky.feed.post`` records
(as in repository exports).

The external id is the post's AT-URI ``at://{did}/app.bsky.feed.post/{rkey}``.
What belongs to the channel (R7.5): its own posts (not reposts of others), and
posts said to it — replies to it, posts in threads it started, posts whose
facets mention its DID.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kanalvakt.capture.normalize._common import (
    guarded,
    parse_time,
    require_str,
    text_field,
    thread_kind,
)
from kanalvakt.capture.types import (
    CapturedItem,
    CaptureResult,
    ChannelIdentity,
    MediaRef,
    Skipped,
)

PLATFORM = "bluesky"
POST_TYPE = "app.bsky.feed.post"


def items_from_author_feed(
    payload: dict[str, Any], identity: ChannelIdentity
) -> Iterator[CaptureResult]:
    """getAuthorFeed: ``{"feed": [FeedViewPost], "cursor": …}``."""

    def one(entry: dict[str, Any]) -> Iterator[CaptureResult]:
        post = entry["post"]
        reason = (entry.get("reason") or {}).get("$type", "")
        if reason.endswith("reasonRepost"):
            yield Skipped("repost of another account's post (R7.5)", post.get("uri"))
            return
        yield from _post_view(post, identity)

    return guarded(PLATFORM, payload["feed"], one)


def items_from_post_thread(
    payload: dict[str, Any], identity: ChannelIdentity
) -> Iterator[CaptureResult]:
    """getPostThread: the post, its parents (up) and replies (down)."""
    nodes = list(_thread_nodes(payload["thread"]))
    return guarded(PLATFORM, nodes, lambda node: _thread_node(node, identity))


def item_from_record(
    record: dict[str, Any],
    identity: ChannelIdentity,
    *,
    uri: str,
    author_did: str,
    author_handle: str | None = None,
    author_display_name: str | None = None,
    view: dict[str, Any] | None = None,
) -> CapturedItem:
    """Normalise one ``app.bsky.feed.post`` record (used by views and the CAR
    importer). Raises on a malformed record."""
    if record.get("$type", POST_TYPE) != POST_TYPE:
        raise ValueError(f"record type {record.get('$type')!r} is not {POST_TYPE}")
    reply = record.get("reply") or {}
    parent = (reply.get("parent") or {}).get("uri")
    root = (reply.get("root") or {}).get("uri") if reply else None
    kind = thread_kind(parent, root)
    langs = record.get("langs") or []
    rkey = uri.rsplit("/", 1)[-1]
    return CapturedItem(
        platform=PLATFORM,
        external_id=uri,
        kind=kind,
        parent_external_id=parent,
        root_external_id=root or (uri if parent is None else None),
        author_external_id=author_did,
        author_display_name=author_display_name,
        author_handle=author_handle,
        author_is_owner=identity.is_self(author_did),
        text=text_field(record, "text"),
        language=langs[0] if langs else None,
        created_at=parse_time(record["createdAt"]),
        url=f"https://bsky.app/profile/{author_did}/post/{rkey}",
        media=tuple(_record_media(record.get("embed") or {}, author_did)),
        raw=view if view is not None else record,
    )


def said_to_channel(record: dict[str, Any], identity: ChannelIdentity) -> bool:
    """A reply to the channel, in a thread it started, or mentioning it."""
    reply = record.get("reply") or {}
    for ref in (reply.get("parent"), reply.get("root")):
        if ref and did_of(ref.get("uri", "")) == identity.account_id:
            return True
    for facet in record.get("facets") or []:
        for feature in facet.get("features") or []:
            if feature.get("did") == identity.account_id:
                return True
    return False


def did_of(at_uri: str) -> str | None:
    if not at_uri.startswith("at://"):
        return None
    return at_uri[len("at://") :].split("/", 1)[0]


def next_cursor(payload: dict[str, Any]) -> str | None:
    return payload.get("cursor")


def _post_view(post: dict[str, Any], identity: ChannelIdentity) -> Iterator[CaptureResult]:
    uri = require_str(post, "uri")
    author = post["author"]
    did = require_str(author, "did")
    record = post["record"]
    if not identity.is_self(did) and not said_to_channel(record, identity):
        yield Skipped("post of another account outside this channel's threads (R7.5)", uri)
        return
    yield item_from_record(
        record,
        identity,
        uri=uri,
        author_did=did,
        author_handle=author.get("handle"),
        author_display_name=author.get("displayName"),
        view=post,
    )


def _thread_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Flatten a thread view: parents first (root down), then the post, then
    replies depth-first."""
    chain = []
    parent = node.get("parent")
    while isinstance(parent, dict):
        chain.append(parent)
        parent = parent.get("parent")
    yield from reversed(chain)
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.get("replies") or []))


def _thread_node(node: dict[str, Any], identity: ChannelIdentity) -> Iterator[CaptureResult]:
    node_type = node.get("$type", "")
    if not node_type.endswith("threadViewPost"):
        yield Skipped(f"thread entry {node_type or 'unknown'} has no visible post", node.get("uri"))
        return
    yield from _post_view(node["post"], identity)


def _record_media(embed: dict[str, Any], did: str) -> Iterator[MediaRef]:
    embed_type = embed.get("$type", "")
    if embed_type.startswith("app.bsky.embed.recordWithMedia"):
        yield from _record_media(embed.get("media") or {}, did)
        return
    blobs = []
    if embed_type.startswith("app.bsky.embed.images"):
        blobs = [image.get("image") or {} for image in embed.get("images") or []]
    elif embed_type.startswith("app.bsky.embed.video"):
        blobs = [embed.get("video") or {}]
    for blob in blobs:
        cid = (blob.get("ref") or {}).get("$link") or blob.get("cid")
        if not cid:
            continue
        mime = blob.get("mimeType")
        if mime and mime.startswith("image/"):
            url = f"https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{cid}@jpeg"
        else:
            url = f"https://bsky.social/xrpc/com.atproto.sync.getBlob?did={did}&cid={cid}"
        yield MediaRef(url, mime, cid)
