"""Building archived threads for the retention tests: through the real ingest, fast."""

import itertools
from datetime import UTC, datetime

from archived_threads import captured
from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item

T_OLD = datetime(2023, 1, 10, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


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
                owner=False,
                at=comment_at or at,
            )
        )
    ingest(channel, batch, source="test")
    post = Item.objects.get(external_id=post_id)
    return post, list(Item.objects.filter(root=post).exclude(pk=post.pk).order_by("pk"))
