"""SQLite: the newest entries matching an FTS5 query and the row filters, one page.

FTS5 hands out rowids (sort keys) newest first and stops at a LIMIT, so the walk reads
chunks of candidates, keeps those the row filters (public rules, …) allow, and reads a
larger chunk only when a chunk did not fill the page. Cost follows the page, not the
number of matches; only a query whose matches are nearly all withheld reads far.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

from kanalvakt.archive.search_models import SearchEntry

FIRST_CHUNK = 64
MAX_CHUNK = 16_384


def _candidate_keys(match: str, low: int | None, below: int | None, limit: int) -> list[int]:
    sql = "SELECT rowid FROM archive_search_fts WHERE archive_search_fts MATCH %s"
    params: list = [match]
    if low is not None:
        sql += " AND rowid >= %s"
        params.append(low)
    if below is not None:
        sql += " AND rowid < %s"
        params.append(below)
    sql += " ORDER BY rowid DESC LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def newest_matching(
    match: str, row_filters: Q, low: int | None, below: int | None, wanted: int
) -> list[SearchEntry]:
    found: list[SearchEntry] = []
    chunk = max(FIRST_CHUNK, wanted)
    while len(found) < wanted:
        keys = _candidate_keys(match, low, below, chunk)
        if not keys:
            break
        found += list(
            SearchEntry.objects.filter(row_filters, sort_key__in=keys)
            .order_by("-sort_key")
            .select_related("item", "item__channel")
            .only("item_id", "sort_key", "item")[: wanted - len(found)]
        )
        if len(keys) < chunk:
            break  # the index has no more matches
        below = keys[-1]
        chunk = min(chunk * 4, MAX_CHUNK)
    return found
