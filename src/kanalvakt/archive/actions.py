"""Use cases of the archive that a person starts. Reading one record in full (text,
versions, authors, integrity proof) is a sensitive read: it is audited like a change."""

from __future__ import annotations

from kanalvakt.archive.models import Item
from kanalvakt.core.actions import action

VIEW = "archive.view_item"


@action("archive.item.view", permission=VIEW, target="item")
def view_record(ctx, item: Item, *, what: str = "page") -> Item:
    """Record that ``ctx.actor`` read ``item`` (``what``: the page or the proof file)."""
    ctx.audit(item, {"what": what, "channel": item.channel_id})
    return item
