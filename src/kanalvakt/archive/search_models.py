"""The search index of the archive: one row per item, with the stemmed text.

``sort_key`` orders hits newest first: the item's platform time in whole seconds, then its
id, packed into one unique integer (seconds × 10⁹ + id; ids stay below 10⁹). One integer
is a key both engines walk cheaply, and on SQLite it is the FTS5 rowid, so a word query
with LIMIT walks the full-text index backwards and stops after one page, instead of
collecting every match first.

SQLite keeps an FTS5 table over ``body`` and ``facets`` in step by triggers; PostgreSQL a
GIN index over ``to_tsvector('simple', body)`` (migrations 0004 and 0006). ``body`` holds
stems from kanalvakt.archive.search_text, so both engines match the same words; ``facets``
holds the filter values as words (``c12 pfacebook kcomment o0``) so FTS5 can filter by
channel, platform, kind and author inside the index.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models

__all__ = ["SearchEntry", "sort_key_for"]

ID_SPAN = 1_000_000_000


def sort_key_for(created_at: datetime, item_id: int) -> int:
    if not 0 < item_id < ID_SPAN:
        raise ValueError(f"item id {item_id} does not fit the search sort key")
    return int(created_at.timestamp()) * ID_SPAN + item_id


class SearchEntry(models.Model):
    item = models.OneToOneField(
        "archive.Item", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    sort_key = models.BigIntegerField(unique=True)
    channel_id_copy = models.BigIntegerField()  # copies of Item columns: filters need no join
    platform = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    author_is_owner = models.BooleanField()
    created_at = models.DateTimeField()
    body = models.TextField()
    facets = models.TextField(default="")

    class Meta:
        indexes = [
            models.Index(fields=["channel_id_copy", "sort_key"], name="archive_search_channel"),
        ]

    def __str__(self):
        return f"search entry {self.item_id}"
