"""Building archived threads for the retention tests: through the real ingest, fast."""

import itertools
from datetime import UTC, datetime

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item
from kanalvakt.capture.types import CapturedItem

T_OLD = datetime(2023, 1, 10, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


def captured(external_id, text, *, kind="post", root=None, parent=None, owner=False, at=T_OLD):
    return CapturedItem(
        platform="facebook",
        external_id=external_id,
        kind=kind,
        parent_external_id=parent,
        root_external_id=root or external_id,
        author_external_id="111" if owner else f"u{external_id}",
        author_display_name="Osby kommun" if owner else "Anna Andersson",
        author_is_owner=owner,
        text=text,
        created_at=at,
        raw={"id": external_id, "message": text},
    )


def thread(channel, *, comments=2, at=T_OLD, comment_at=None, owner_post=True):
    """A post by the municipality with third-party comments; returns (post, [comments])."""
    n = next(_ids)
    post_id = f"{channel.pk}_{n}"
    batch = [captured(post_id, f"Inlägg {n} från Osby", owner=owner_post, at=at)]
    for c in range(comments):
        batch.append(
            captured(
                f"{post_id}_c{c}",
                f"Kommentar {c} till inlägg {n}",
                kind="comment",
                root=post_id,
                parent=post_id,
                at=comment_at or at,
            )
        )
    ingest(channel, batch, source="test")
    post = Item.objects.get(external_id=post_id)
    return post, list(Item.objects.filter(root=post).exclude(pk=post.pk).order_by("pk"))
