"""Meta "Download your information" (Facebook, JSON format): the account's
posts (``your_posts*.json``) and comments (``comments.json``), from a
directory or .zip.

Two quirks of these files:

- Meta writes UTF-8 text as if each byte were a Latin-1 character ("Ã¥"
  for "å"). ``repair_mojibake`` reverses that where — and only where — the
  string is such mojibake; the raw payload is kept exactly as received.
- Entries have no platform ids. The id is a hash of the entry's timestamp,
  text and media paths, stable across re-imports of the same export, but it
  cannot be matched to Graph API ids.

Everything in the export was written by the account (R7.2: drawn up).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kanalvakt.capture.importers._files import ExportArchive, stream_items
from kanalvakt.capture.normalize._common import MALFORMED, describe, parse_time
from kanalvakt.capture.types import (
    CapturedItem,
    CaptureError,
    CaptureResult,
    ChannelIdentity,
    MediaRef,
)

PLATFORM = "facebook"


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1; leave text that is not such mojibake alone.

    Only strings made of code points < 256 with at least one >= 0x80 can be
    mojibake, and only if their Latin-1 bytes are valid UTF-8 — a genuine "é"
    alone (0xE9) is not, so correct text survives.
    """
    if text.isascii() or any(ord(ch) > 0xFF for ch in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return text


def iter_import(path: str | Path, identity: ChannelIdentity) -> Iterator[CaptureResult]:
    archive = ExportArchive(path)
    for name in archive.find("your_posts*.json"):
        with archive.open(name) as stream:
            for entry in stream_items(stream, "item"):
                yield _guard(entry, lambda e: _post(e, identity))
    for name in archive.find("comments.json"):
        with archive.open(name) as stream:
            for entry in stream_items(stream, "comments_v2.item"):
                yield _guard(entry, lambda e: _comment(e, identity))


def _guard(entry: Any, convert: Any) -> CaptureResult:
    try:
        if not isinstance(entry, dict):
            raise TypeError("entry is not an object")
        return convert(entry)
    except MALFORMED as exc:
        return CaptureError(PLATFORM, None, describe(exc), entry)


def _post(entry: dict[str, Any], identity: ChannelIdentity) -> CapturedItem:
    created = parse_time(entry["timestamp"])
    texts = [d["post"] for d in entry.get("data") or [] if isinstance(d, dict) and "post" in d]
    updated = [
        d["update_timestamp"]
        for d in entry.get("data") or []
        if isinstance(d, dict) and "update_timestamp" in d
    ]
    text = repair_mojibake("\n\n".join(texts))
    media = tuple(_media(entry))
    edited = parse_time(updated[0]) if updated else None
    return CapturedItem(
        platform=PLATFORM,
        external_id=_synthetic_id("post", entry["timestamp"], text, media),
        kind="post",
        parent_external_id=None,
        root_external_id=None,
        author_external_id=identity.account_id,
        author_display_name=None,
        author_handle=identity.handle,
        author_is_owner=True,
        title=repair_mojibake(entry["title"]) if entry.get("title") else None,
        text=text,
        created_at=created,
        edited_at=edited if edited and edited != created else None,
        media=media,
        raw=entry,
    )


def _comment(entry: dict[str, Any], identity: ChannelIdentity) -> CapturedItem:
    comments = [d["comment"] for d in entry.get("data") or [] if "comment" in d]
    if not comments:
        raise ValueError("comment entry without a comment")
    comment = comments[0]
    text = repair_mojibake(comment.get("comment") or "")
    media = tuple(_media(entry))
    timestamp = comment.get("timestamp", entry.get("timestamp"))
    return CapturedItem(
        platform=PLATFORM,
        external_id=_synthetic_id("comment", timestamp, text, media),
        kind="comment",
        # The export names the commented post only in prose ("… commented on
        # X's post."), so it cannot be linked.
        parent_external_id=None,
        root_external_id=None,
        author_external_id=identity.account_id,
        author_display_name=repair_mojibake(comment["author"]) if comment.get("author") else None,
        author_handle=identity.handle,
        author_is_owner=True,
        title=repair_mojibake(entry["title"]) if entry.get("title") else None,
        text=text,
        created_at=parse_time(timestamp),
        media=media,
        raw=entry,
    )


def _media(entry: dict[str, Any]) -> Iterator[MediaRef]:
    for attachment in entry.get("attachments") or []:
        for data in attachment.get("data") or []:
            media = data.get("media") or {}
            if media.get("uri"):
                yield MediaRef(media["uri"], None, None)  # a path inside the export
            external = (data.get("external_context") or {}).get("url")
            if external:
                yield MediaRef(external, None, None)


def _synthetic_id(kind: str, timestamp: Any, text: str, media: tuple[MediaRef, ...]) -> str:
    basis = "\x1f".join([kind, str(timestamp), text, *sorted(m.url for m in media)])
    return "dyi:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
