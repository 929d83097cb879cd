"""Archived threads for tests: an owner post and comments under it, through the real ingest
(which fires items_captured, so screening and question detection run as in production)."""

import itertools
from datetime import UTC, datetime

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item
from kanalvakt.capture.types import CapturedItem

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POST_TEXT = "Välkommen på invigningen av nya torget på lördag!"
_ids = itertools.count(1)


def captured(external_id, text=None, *, kind="post", parent=None, root=None, owner=True, at=T0):
    """One captured Facebook item; a reply names its ``parent`` (and ``root``, else the
    parent is the root)."""
    text = f"Text {external_id}" if text is None else text
    return CapturedItem(
        platform="facebook",
        external_id=external_id,
        kind=kind,
        parent_external_id=parent,
        root_external_id=root or parent or external_id,
        author_external_id="111" if owner else f"u{external_id}",
        author_display_name="Osby kommun" if owner else "Anna Andersson",
        author_is_owner=owner,
        text=text,
        created_at=at,
        raw={"id": external_id, "message": text},
        url=f"https://www.facebook.com/{external_id}",
    )


def archived_comments(
    channel, *texts, platform=None, owner_post=True, author="Anna Andersson", **fields
) -> list[Item]:
    """Comments by members of the public under one post of the channel, archived; the
    comments as Items. ``fields`` may set ``external_id``, ``parent`` and ``root``."""
    platform = platform or channel.platform.key
    post_id = f"p{next(_ids)}"
    captured = []
    if owner_post:
        captured.append(
            CapturedItem(
                platform=platform,
                external_id=post_id,
                kind="post",
                parent_external_id=None,
                root_external_id=post_id,
                author_external_id="owner",
                author_display_name="Osby kommun",
                author_is_owner=True,
                text=POST_TEXT,
                created_at=T0,
                raw={"id": post_id},
            )
        )
    ids = []
    for text in texts:
        external_id = fields.get("external_id") or f"{post_id}_c{next(_ids)}"
        ids.append(external_id)
        captured.append(
            CapturedItem(
                platform=platform,
                external_id=external_id,
                kind="comment",
                parent_external_id=fields.get("parent", post_id),
                root_external_id=fields.get("root", post_id),
                author_external_id=f"u{next(_ids)}",
                author_display_name=author,
                author_is_owner=False,
                text=text,
                created_at=T0,
                raw={"id": external_id, "message": text},
            )
        )
    ingest(channel, captured, source="test")
    return list(Item.objects.filter(external_id__in=ids).order_by("pk"))
