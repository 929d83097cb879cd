"""Mastodon account archive ("Request your archive": .tar.gz, .zip, an
unpacked directory, or a bare outbox.json).

``outbox.json`` is an ActivityStreams OrderedCollection: ``Create`` activities
carry the account's own Notes; ``Announce`` (boosts) carry only a reference to
someone else's post and are skipped (R7.5). Some real exports write the
``orderedItems`` key twice; the streaming parser sees both arrays and every
item of both is taken (a repeated item is the same version, so harmless).

Local status URIs end in the same numeric id the REST API uses, so archive
imports and API captures land on the same item.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kanalvakt.capture.importers._files import ExportArchive, stream_items
from kanalvakt.capture.normalize._common import (
    MALFORMED,
    describe,
    html_to_text,
    optional_time,
    parse_time,
)
from kanalvakt.capture.types import (
    CapturedItem,
    CaptureError,
    CaptureResult,
    ChannelIdentity,
    MediaRef,
    Skipped,
)

PLATFORM = "mastodon"
_PUBLIC = frozenset({"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"})


def iter_import(path: str | Path, identity: ChannelIdentity) -> Iterator[CaptureResult]:
    archive = ExportArchive(path)
    actor = _actor(archive)
    if actor is not None and identity.handle:
        local = identity.handle.lstrip("@").split("@", 1)[0].casefold()
        if str(actor.get("preferredUsername", "")).casefold() != local:
            yield CaptureError(
                PLATFORM,
                None,
                f"archive belongs to {actor.get('preferredUsername')!r}, "
                f"not to this channel ({identity.handle})",
                {"id": actor.get("id"), "preferredUsername": actor.get("preferredUsername")},
            )
            return
    outboxes = archive.find("outbox.json")
    if not outboxes:
        yield CaptureError(PLATFORM, None, "no outbox.json in the archive", None)
        return
    actor_id = (actor or {}).get("id")
    with archive.open(outboxes[0]) as stream:
        for activity in stream_items(stream, "orderedItems.item"):
            yield _from_activity(activity, identity, actor_id)


def _actor(archive: ExportArchive) -> dict[str, Any] | None:
    for name in archive.find("actor.json"):
        with archive.open(name) as stream:
            return json.load(stream)  # small: the profile only
    return None


def _from_activity(activity: Any, identity: ChannelIdentity, actor_id: str | None) -> CaptureResult:
    activity_id = activity.get("id") if isinstance(activity, dict) else None
    try:
        return activity_to_item(activity, identity, actor_id)
    except MALFORMED as exc:
        return CaptureError(PLATFORM, activity_id, describe(exc), activity)


def activity_to_item(
    activity: dict[str, Any], identity: ChannelIdentity, actor_id: str | None
) -> CapturedItem | Skipped:
    kind = activity["type"]
    if kind == "Announce":
        return Skipped("boost of another account's status (R7.5)", str(activity.get("id")))
    if kind != "Create":
        return Skipped(f"activity {kind!r} is not a post", str(activity.get("id")))
    note = activity["object"]
    if not isinstance(note, dict):
        raise TypeError("Create activity without an embedded object")
    actor = actor_id or activity["actor"]
    if activity.get("actor") != actor or note.get("attributedTo", actor) != actor:
        raise ValueError("activity is attributed to another actor than the archive's")
    status_prefix = f"{actor}/statuses/"
    external_id = _api_id(note["id"], status_prefix)
    parent = note.get("inReplyTo")
    audience = set(_as_list(note.get("to"))) | set(_as_list(note.get("cc")))
    is_public = bool(audience & _PUBLIC)
    is_followers = f"{actor}/followers" in audience
    if not is_public and not is_followers:
        item_kind = "direct_message"
    else:
        item_kind = "reply" if parent else "post"
    content = note.get("content") or ""
    language = next(iter(note.get("contentMap") or {}), None)
    return CapturedItem(
        platform=PLATFORM,
        external_id=external_id,
        kind=item_kind,
        parent_external_id=_api_id(parent, status_prefix) if parent else None,
        root_external_id=None if parent else external_id,
        author_external_id=identity.account_id,
        author_display_name=None,
        author_handle=identity.handle,
        author_is_owner=True,
        text=content,
        text_plain=html_to_text(content),
        title=note.get("summary") or None,
        language=language,
        created_at=parse_time(note.get("published") or activity["published"]),
        edited_at=optional_time(note.get("updated")),
        url=note.get("url") if isinstance(note.get("url"), str) else None,
        media=tuple(_media(note)),
        raw=activity,
    )


def _api_id(uri: str, status_prefix: str) -> str:
    """The REST id of a local status (the URI's last segment); remote URIs stay."""
    if uri.startswith(status_prefix):
        tail = uri[len(status_prefix) :].split("/", 1)[0]
        if tail.isdigit():
            return tail
    return uri


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def _media(note: dict[str, Any]) -> Iterator[MediaRef]:
    for attachment in _as_list_of_dicts(note.get("attachment")):
        url = attachment.get("url")
        if isinstance(url, str) and url:
            # Relative paths point into the archive's media_attachments/ folder.
            yield MediaRef(url, attachment.get("mediaType"), None)


def _as_list_of_dicts(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    return [v for v in value or [] if isinstance(v, dict)]
