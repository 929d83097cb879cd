"""YouTube Data API v3: videos.list, commentThreads.list (with embedded
replies) and comments.list (replies by parentId).

Comment text comes twice: ``textDisplay`` (HTML, what YouTube renders) is kept
as ``text``; ``textOriginal`` (what the author typed; only returned to the
channel owner) is ``text_plain`` when present.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from kanalvakt.capture.normalize._common import (
    guarded,
    html_to_text,
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

PLATFORM = "youtube"
_THUMBNAIL_PREFERENCE = ("maxres", "standard", "high", "medium", "default")


def items_from_videos_page(
    payload: dict[str, Any], identity: ChannelIdentity
) -> Iterator[CaptureResult]:
    return guarded(PLATFORM, objects_of(payload), lambda raw: _video(raw, identity))


def items_from_comment_threads_page(
    payload: dict[str, Any],
    identity: ChannelIdentity,
    *,
    own_video_ids: Collection[str] = (),
) -> Iterator[CaptureResult]:
    """A thread is the channel's when its ``snippet.channelId`` is the
    channel, or (older responses without channelId) its video is one of
    ``own_video_ids``."""
    return guarded(PLATFORM, objects_of(payload), lambda raw: _thread(raw, identity, own_video_ids))


def items_from_comments_page(
    payload: dict[str, Any], identity: ChannelIdentity, *, video_id: str | None
) -> Iterator[CaptureResult]:
    """comments.list?parentId=… — the replies of a thread already accepted
    through ``items_from_comment_threads_page``."""
    return guarded(PLATFORM, objects_of(payload), lambda raw: _comment(raw, identity, video_id))


def next_cursor(payload: dict[str, Any]) -> str | None:
    return payload.get("nextPageToken")


def _video(raw: dict[str, Any], identity: ChannelIdentity) -> Iterator[CaptureResult]:
    video_id = require_str(raw, "id")
    snippet = raw["snippet"]
    channel_id = snippet.get("channelId")
    if not identity.is_self(channel_id):
        yield Skipped("video of another channel (R7.5)", video_id)
        return
    thumbs = snippet.get("thumbnails") or {}
    best = next((thumbs[k] for k in _THUMBNAIL_PREFERENCE if k in thumbs), None)
    yield CapturedItem(
        platform=PLATFORM,
        external_id=video_id,
        kind="post",
        parent_external_id=None,
        root_external_id=video_id,
        author_external_id=channel_id,
        author_display_name=snippet.get("channelTitle"),
        author_is_owner=True,
        title=snippet.get("title"),
        text=text_field(snippet, "description"),
        language=snippet.get("defaultLanguage") or snippet.get("defaultAudioLanguage"),
        created_at=parse_time(snippet["publishedAt"]),
        url=f"https://www.youtube.com/watch?v={video_id}",
        media=(MediaRef(best["url"], None, f"{video_id}:thumbnail"),) if best else (),
        raw=raw,
    )


def _thread(
    raw: dict[str, Any], identity: ChannelIdentity, own_video_ids: Collection[str]
) -> Iterator[CaptureResult]:
    thread_id = require_str(raw, "id")
    snippet = raw["snippet"]
    top = snippet["topLevelComment"]
    video_id = snippet.get("videoId") or top["snippet"].get("videoId")
    channel_id = snippet.get("channelId") or top["snippet"].get("channelId")
    # Older responses carry no channelId: then only a known own video counts.
    belongs = identity.is_self(channel_id) if channel_id is not None else video_id in own_video_ids
    if not belongs:
        yield Skipped("comment thread on another channel's video (R7.5)", thread_id)
        return
    yield from _comment(top, identity, video_id)
    for reply in (raw.get("replies") or {}).get("comments") or []:
        yield from guarded(PLATFORM, [reply], lambda r: _comment(r, identity, video_id))


def _comment(
    raw: dict[str, Any], identity: ChannelIdentity, video_id: str | None
) -> Iterator[CaptureResult]:
    comment_id = require_str(raw, "id")
    snippet = raw["snippet"]
    video_id = snippet.get("videoId") or video_id
    parent = snippet.get("parentId")
    author_id = (snippet.get("authorChannelId") or {}).get("value")
    display = text_field(snippet, "textDisplay")
    original = snippet.get("textOriginal")
    created = parse_time(snippet["publishedAt"])
    updated = parse_time(snippet["updatedAt"]) if snippet.get("updatedAt") else created
    yield CapturedItem(
        platform=PLATFORM,
        external_id=comment_id,
        kind="reply" if parent else "comment",
        # Channel-level discussion threads have no video: no parent, no root.
        parent_external_id=parent or video_id,
        root_external_id=video_id,
        author_external_id=author_id,
        author_display_name=snippet.get("authorDisplayName"),
        author_is_owner=identity.is_self(author_id),
        text=display,
        text_plain=original if isinstance(original, str) else html_to_text(display),
        created_at=created,
        edited_at=updated if updated != created else None,
        url=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}" if video_id else None,
        raw=raw,
    )
