"""Archive search: one interface, two engines, picked by the connection's vendor.

``search(query, filters, cursor)`` gives a page of hits, newest first with the item id
as tie-break (the entry's ``sort_key``): a stable order, so the opaque cursor pages
without gaps or repeats as new items arrive. Words are ANDed; each matches its Swedish
inflections (search_text). Public callers pass ``public_only=True``: the rules of
public_rules apply inside the query, never after it.

On SQLite, a word or facet query walks the FTS5 index newest first in growing chunks and
filters each chunk with the remaining rules (search_sqlite), so it stops after one page
instead of collecting every match. PostgreSQL plans the same conditions itself.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import SafeString

from kanalvakt.archive.models import Item
from kanalvakt.archive.public_rules import public_q
from kanalvakt.archive.search_models import ID_SPAN, SearchEntry, sort_key_for
from kanalvakt.archive.search_text import highlight, query_stems, stemmed_body

PAGE_SIZE = 20
UNFLAGGED = "unflagged"  # moderation filter: items that never got a moderation case
AWAITING = "open"  # moderation filter: a case awaiting decision


@dataclass
class SearchFilters:
    channel_ids: list[int] = field(default_factory=list)
    platform: str = ""
    kind: str = ""
    author_is_owner: bool | None = None  # True: the municipality's own; False: third party
    date_from: date | None = None
    date_to: date | None = None
    moderation: str = ""  # UNFLAGGED, AWAITING or a moderation decision value
    case_number: str = ""  # a registration's case number (diarienummer)

    def facet_words(self) -> list[list[str]]:
        """The filters that live in the index, as groups of facet words (OR within a group,
        AND between groups)."""
        groups = []
        if self.channel_ids:
            groups.append([f"c{int(pk)}" for pk in self.channel_ids])
        if self.platform:
            groups.append([f"p{self.platform}"])
        if self.kind:
            groups.append([f"k{self.kind}"])
        if self.author_is_owner is not None:
            groups.append([f"o{int(self.author_is_owner)}"])
        return groups

    @property
    def selective(self) -> bool:
        """Filters that narrow to a few items, better applied before the words."""
        return bool(self.moderation or self.case_number)


@dataclass
class Hit:
    item: Item
    snippet: SafeString  # escaped text with the words found in <mark>


@dataclass
class SearchPage:
    hits: list[Hit]
    next_cursor: str | None


def facets_of(item: Item) -> str:
    words = [f"c{item.channel_id}", f"p{item.platform}", f"k{item.kind}"]
    return " ".join([*words, f"o{int(item.author_is_owner)}"])


def index_items(item_ids: Iterable[int]) -> int:
    """(Re)build the search rows of these items from their current text."""
    ids = list(item_ids)
    # A disposed item (R7.1) has nothing left to find; reindexing must not bring it back.
    items = Item.objects.filter(pk__in=ids, tombstone__isnull=True).only(
        "pk", "channel_id", "platform", "kind", "author_is_owner", "created_on_platform_at",
        "text", "text_plain", "title",
    )  # fmt: skip
    rows = [
        SearchEntry(
            item_id=item.pk,
            sort_key=sort_key_for(item.created_on_platform_at, item.pk),
            channel_id_copy=item.channel_id,
            platform=item.platform,
            kind=item.kind,
            author_is_owner=item.author_is_owner,
            created_at=item.created_on_platform_at,
            body=stemmed_body(f"{item.title} {item.display_text}"),
            facets=facets_of(item),
        )
        for item in items
    ]
    # Delete + insert fires the FTS triggers on SQLite; an upsert would too, but is
    # spelled differently per engine.
    SearchEntry.objects.filter(item_id__in=ids).delete()
    SearchEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def unindex_items(item_ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(item_id__in=list(item_ids)).delete()


def reindex_all(batch: int = 5000, *, missing_only: bool = False) -> int:
    items = Item.objects.all()
    if missing_only:
        items = items.filter(search_entry__isnull=True)
    total, last = 0, 0
    while ids := list(
        items.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
    ):
        total += index_items(ids)
        last = ids[-1]
    return total


def fts_match(stems: list[str], facet_groups: list[list[str]]) -> str:
    """An FTS5 query: every stem in the text, one word of each facet group in the facets.
    Stems and facet words are \\w+ words, so quoting them needs no escaping."""
    parts = [f'body:"{stem}"' for stem in stems]
    for group in facet_groups:
        parts.append("(" + " OR ".join(f'facets:"{word}"' for word in group) + ")")
    return " AND ".join(parts)


def _postgres_match(stems: list[str]):
    sql = "to_tsvector('simple'::regconfig, body) @@ plainto_tsquery('simple', %s)"
    # Parameters only: the stems are bound, never formatted into the SQL.
    return RawSQL(sql, [" ".join(stems)], output_field=BooleanField())  # noqa: S611


def _sqlite_match_this_row(match: str):
    # Per row (rowid lookup into FTS5): cheap when other filters leave few rows.
    sql = (
        "EXISTS (SELECT 1 FROM archive_search_fts WHERE archive_search_fts MATCH %s "
        "AND archive_search_fts.rowid = archive_searchentry.sort_key)"
    )
    return RawSQL(sql, [match], output_field=BooleanField())  # noqa: S611 (bound parameter)


def encode_cursor(sort_key: int) -> str:
    return base64.urlsafe_b64encode(str(sort_key).encode()).decode()


def decode_cursor(cursor: str) -> int | None:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeError):
        return None  # a mangled cursor starts from the first page


def _day_key(day: date) -> int:
    """The first sort key of a local calendar day."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return int(start.timestamp()) * ID_SPAN


def key_bounds(filters: SearchFilters, cursor: str | None) -> tuple[int | None, int | None]:
    """(lowest key included, key to stay below) from the date range and the cursor."""
    low = _day_key(filters.date_from) if filters.date_from else None
    below = _day_key(filters.date_to + timedelta(days=1)) if filters.date_to else None
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        below = position if below is None else min(below, position)
    return low, below


def _row_filters(filters: SearchFilters, public_only: bool) -> Q:
    """Conditions that are checked on the entry's item rather than in the index."""
    condition = public_q("item__") if public_only else Q()
    if filters.moderation:
        condition &= _moderation_q(filters.moderation)
    if filters.case_number:
        condition &= _case_number_q(filters.case_number)
    return condition


def _moderation_q(state: str) -> Q:
    from kanalvakt.moderation.models import ModerationCase

    if state == UNFLAGGED:
        return ~Q(Exists(ModerationCase.objects.filter(item=OuterRef("item_id"))))
    if state == AWAITING:
        cases = ModerationCase.objects.filter(state=ModerationCase.State.OPEN)
    else:
        cases = ModerationCase.objects.filter(state=ModerationCase.State.DECIDED, decision=state)
    return Q(item_id__in=cases.values("item_id"))


def _case_number_q(case_number: str) -> Q:
    from kanalvakt.records.registration import item_ids_for_case

    return Q(item_id__in=item_ids_for_case(case_number))


def entries_query(query: str, filters: SearchFilters, *, public_only: bool) -> QuerySet:
    """All matching entries as one queryset (no order, no cursor): the conditions both
    engines share, for counting and for the paths that let the planner decide."""
    stems = query_stems(query)
    entries = SearchEntry.objects.filter(_row_filters(filters, public_only))
    if filters.channel_ids:
        entries = entries.filter(channel_id_copy__in=filters.channel_ids)
    if filters.platform:
        entries = entries.filter(platform=filters.platform)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.author_is_owner is not None:
        entries = entries.filter(author_is_owner=filters.author_is_owner)
    if stems:
        if connection.vendor == "postgresql":
            entries = entries.filter(_postgres_match(stems))
        else:
            entries = entries.filter(_sqlite_match_this_row(fts_match(stems, [])))
    return entries


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
    low, below = key_bounds(filters, cursor)
    walk_index = connection.vendor == "sqlite" and not filters.selective
    if walk_index and (stems or filters.facet_words()):
        from kanalvakt.archive.search_sqlite import newest_matching

        match = fts_match(stems, filters.facet_words())
        rows = newest_matching(match, _row_filters(filters, public_only), low, below, page_size + 1)
    else:
        entries = entries_query(query, filters, public_only=public_only)
        if low is not None:
            entries = entries.filter(sort_key__gte=low)
        if below is not None:
            entries = entries.filter(sort_key__lt=below)
        rows = list(
            entries.order_by("-sort_key")
            .select_related("item", "item__channel")
            .only("item_id", "sort_key", "item")[: page_size + 1]
        )
    more = len(rows) > page_size
    rows = rows[:page_size]
    hits = [Hit(row.item, highlight(row.item.display_text, stems)) for row in rows]
    next_cursor = encode_cursor(rows[-1].sort_key) if more else None
    return SearchPage(hits, next_cursor)


def on_items_captured(sender=None, item_ids=(), **kwargs) -> None:
    """Receiver of items_captured: keep the index current (bulk, a few queries)."""
    index_items(item_ids)
