"""Builders of the registration tests: archived items through the real ingest."""

import itertools
from datetime import UTC, datetime

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item
from kanalvakt.capture.types import CapturedItem

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


def archived_comments(channel, *texts, author="Anna Andersson") -> list[Item]:
    """Comments by a member of the public under one post of the channel, archived."""
    post_id = f"regpost{next(_ids)}"
    captured = [
        CapturedItem(
            platform=channel.platform.key,
            external_id=post_id,
            kind="post",
            parent_external_id=None,
            root_external_id=post_id,
            author_external_id="owner",
            author_display_name="Osby kommun",
            author_is_owner=True,
            text="Vad tycker du om den nya cykelvägen?",
            created_at=T0,
            raw={"id": post_id},
        )
    ]
    ids = []
    for text in texts:
        external_id = f"{post_id}_c{next(_ids)}"
        ids.append(external_id)
        captured.append(
            CapturedItem(
                platform=channel.platform.key,
                external_id=external_id,
                kind="comment",
                parent_external_id=post_id,
                root_external_id=post_id,
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
