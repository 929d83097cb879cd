"""Archive search: one interface, two engines, picked by the connection's vendor.

``search(query, filters, cursor)`` gives a page of hits, newest first with the item id
as tie-break: a stable order, so the opaque cursor (the last hit's time and id) pages
without gaps or repeats as new items arrive. Words are ANDed; each matches its Swedish
inflections (search_text). Public callers pass ``public_only=True``: the rules of
public_rules apply inside the query, never after it.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from kanalvakt.archive.models import Item
from kanalvakt.archive.public_rules import public_q
from kanalvakt.archive.search_models import SearchEntry
from kanalvakt.archive.search_text import highlight, query_stems, stemmed_body

PAGE_SIZE = 20


@dataclass
class SearchFilters:
    channel_ids: list[int] = field(default_factory=list)
    platform: str = ""
    kind: str = ""
    author_is_owner: bool | None = None  # True: the municipality's own; False: third party
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class Hit:
    item: Item
    snippet: list[tuple[str, bool]]


@dataclass
class SearchPage:
    hits: list[Hit]
    next_cursor: str | None


def index_items(item_ids: Iterable[int]) -> int:
    """(Re)build the search rows of these items from their current text."""
    ids = list(item_ids)
    items = Item.objects.filter(pk__in=ids).only(
        "pk", "channel_id", "platform", "kind", "author_is_owner", "created_on_platform_at",
        "text", "text_plain", "title",
    )  # fmt: skip
    rows = [
        SearchEntry(
            item_id=item.pk,
            channel_id_copy=item.channel_id,
            platform=item.platform,
            kind=item.kind,
            author_is_owner=item.author_is_owner,
            created_at=item.created_on_platform_at,
            body=stemmed_body(f"{item.title} {item.display_text}"),
        )
        for item in items
    ]
    # Delete + insert fires the FTS triggers on SQLite; an upsert would too, but is
    # spelled differently per engine.
    SearchEntry.objects.filter(item_id__in=ids).delete()
    SearchEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def reindex_all(batch: int = 5000) -> int:
    total, last = 0, 0
    while ids := list(
        Item.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
    ):
        total += index_items(ids)
        last = ids[-1]
    return total


def _match(stems: list[str]):
    if connection.vendor == "postgresql":
        sql = "to_tsvector('simple'::regconfig, body) @@ plainto_tsquery('simple', %s)"
        # Parameters only: the stems are bound, never formatted into the SQL.
        return RawSQL(sql, [" ".join(stems)], output_field=BooleanField())  # noqa: S611
    # FTS5: each stem a quoted string (stems are \w+ words: no quote to escape); ANDed.
    match = " ".join(f'"{stem}"' for stem in stems)
    sub = "SELECT rowid FROM archive_search_fts WHERE archive_search_fts MATCH %s"
    return Q(item_id__in=RawSQL(sub, [match]))  # noqa: S611 (bound parameter)


def encode_cursor(entry_time: datetime, item_id: int) -> str:
    return base64.urlsafe_b64encode(f"{entry_time.isoformat()}|{item_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        when, item_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(when), int(item_id)
    except (ValueError, UnicodeError):
        return None  # a mangled cursor starts from the first page


def search(
    query: str,
    filters: SearchFilters | None = None,
    cursor: str | None = None,
    *,
    public_only: bool = True,
    page_size: int = PAGE_SIZE,
) -> SearchPage:
    filters = filters or SearchFilters()
    stems = query_stems(query)
    entries = SearchEntry.objects.all()
    if stems:
        entries = entries.filter(_match(stems))
    if filters.channel_ids:
        entries = entries.filter(channel_id_copy__in=filters.channel_ids)
    if filters.platform:
        entries = entries.filter(platform=filters.platform)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.author_is_owner is not None:
        entries = entries.filter(author_is_owner=filters.author_is_owner)
    if filters.date_from:
        entries = entries.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(created_at__date__lte=filters.date_to)
    if public_only:
        entries = entries.filter(public_q("item__"))
    position = decode_cursor(cursor) if cursor else None
    if position:
        when, item_id = position
        entries = entries.filter(Q(created_at__lt=when) | Q(created_at=when, item_id__lt=item_id))
    rows = list(
        entries.order_by("-created_at", "-item_id")
        .select_related("item", "item__channel")
        .only("item_id", "created_at", "item")[: page_size + 1]
    )
    more = len(rows) > page_size
    rows = rows[:page_size]
    hits = [Hit(row.item, highlight(row.item.display_text, stems)) for row in rows]
    next_cursor = encode_cursor(rows[-1].created_at, rows[-1].item_id) if more else None
    return SearchPage(hits, next_cursor)


def on_items_captured(sender=None, item_ids=(), **kwargs) -> None:
    """Receiver of items_captured: keep the index current (bulk, a few queries)."""
    index_items(item_ids)
