"""The capture contract: what normalisers and importers hand to the archive.

Pure Python (no Django). Normalisers and importers yield, per source object,
exactly one of:

- ``CapturedItem``: an item that belongs to the channel (its own post, or
  something said to it on its own channel: a comment, reply, mention or
  direct message);
- ``CaptureError``: the object is malformed; the rest of the page goes on;
- ``Skipped``: the object is well-formed but is not the channel's (R7.5:
  other accounts' timeline items, posts on other pages, reposts of others'
  content) or carries no communication (e.g. a "favourite" notification).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PLATFORMS = frozenset(
    {"facebook", "instagram", "youtube", "x", "linkedin", "mastodon", "bluesky", "rss"}
)
KINDS = frozenset({"post", "comment", "reply", "direct_message"})


@dataclass(frozen=True)
class ChannelIdentity:
    """The channel's own account on its platform, as the caller knows it.

    ``account_id`` is the platform's stable id (Facebook page id, Instagram
    user id, YouTube channel id, X user id, Mastodon account id, Bluesky DID,
    LinkedIn profile/organisation URN, feed URL for RSS). ``handle`` is the
    user name without "@" (Mastodon: ``user`` or ``user@instance``).
    """

    platform: str
    account_id: str
    handle: str | None = None

    def is_self(self, account_id: str | None, handle: str | None = None) -> bool:
        """True when the given author is this channel's own account.

        Ids decide when present; the handle is only a fallback for payloads
        that name the author without an id (Instagram comments, exports).
        """
        if account_id is not None and str(account_id) != "":
            return str(account_id) == self.account_id
        if handle and self.handle:
            return _bare_handle(handle) == _bare_handle(self.handle)
        return False


def _bare_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


@dataclass(frozen=True)
class MediaRef:
    url: str
    mime_type: str | None = None
    external_id: str | None = None

    def identity_key(self) -> str:
        """What identifies the media across fetches.

        CDN URLs (Meta, Instagram) carry signatures that change on every
        fetch; using them as-is would make every poll look like a new version.
        """
        if self.external_id:
            return f"id:{self.external_id}"
        parts = urlsplit(self.url)
        return "url:" + urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@dataclass(frozen=True)
class CapturedItem:
    platform: str
    external_id: str
    kind: str
    parent_external_id: str | None
    root_external_id: str | None
    author_external_id: str | None  # None: the payload does not say who wrote it
    author_display_name: str | None
    author_is_owner: bool  # True → drawn up (upprättad); False → received (inkommen), R7.2
    text: str  # as the platform gives it (HTML for Mastodon/YouTube/RSS)
    created_at: datetime
    raw: dict[str, Any] = field(repr=False, compare=False)
    text_plain: str | None = None  # set when ``text`` is HTML
    title: str | None = None  # YouTube video title, RSS entry title, Mastodon content warning
    author_handle: str | None = None
    language: str | None = None
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    url: str | None = None
    media: tuple[MediaRef, ...] = ()

    def __post_init__(self) -> None:
        if self.platform not in PLATFORMS:
            raise ValueError(f"unknown platform {self.platform!r}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if not self.external_id:
            raise ValueError("empty external_id")
        for name in ("created_at", "edited_at", "deleted_at"):
            value = getattr(self, name)
            if value is None:
                continue
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")
            object.__setattr__(self, name, value.astimezone(UTC))

    def content_hash(self) -> str:
        """SHA-256 over what makes a distinct version of the item.

        Included: text, title, edited_at, media identities (sorted), deletion
        flag. Excluded on purpose: counters (likes, reply counts), fetch time,
        signed CDN query strings, raw payload layout — they change without the
        item's content changing.
        """
        canonical = {
            "text": self.text,
            "title": self.title,
            "edited_at": self.edited_at.isoformat() if self.edited_at else None,
            "deleted": self.deleted_at is not None,
            "media": sorted(m.identity_key() for m in self.media),
        }
        blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        # surrogatepass: text decoded from invalid UTF-8 still hashes (and stays distinct).
        return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def text_for_search(self) -> str:
        return self.text_plain if self.text_plain is not None else self.text


@dataclass(frozen=True)
class CaptureError:
    platform: str
    external_id: str | None
    reason: str
    raw: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class Skipped:
    reason: str
    external_id: str | None = None


@dataclass(frozen=True)
class ProfileSnapshot:
    """The account's own profile; a change here makes a screenshot due (R7.7)."""

    display_name: str | None
    avatar_url: str | None
    banner_url: str | None
    bio: str | None

    def changed_fields(self, previous: ProfileSnapshot | None) -> tuple[str, ...]:
        if previous is None:
            return ()
        return tuple(
            name
            for name in ("display_name", "avatar_url", "banner_url", "bio")
            if getattr(self, name) != getattr(previous, name)
        )


CaptureResult = CapturedItem | CaptureError | Skipped
CaptureStream = Iterator[CaptureResult]
