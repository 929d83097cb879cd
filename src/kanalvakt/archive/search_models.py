"""The search index of the archive: one row per item, with the stemmed text.

SQLite keeps an FTS5 table over ``body`` in step by triggers; PostgreSQL a GIN index over
``to_tsvector('simple', body)`` (migration 0003_search_engines). ``body`` holds stems from
kanalvakt.archive.search_text, so both engines match the same words.
"""

from __future__ import annotations

from django.db import models

__all__ = ["SearchEntry"]


class SearchEntry(models.Model):
    item = models.OneToOneField(
        "archive.Item", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    channel_id_copy = models.BigIntegerField()  # copies of Item columns: filters need no join
    platform = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    author_is_owner = models.BooleanField()
    created_at = models.DateTimeField()
    body = models.TextField()

    class Meta:
        # The tie-break column is in the indexes so the newest page is an index walk
        # (without it SQLite sorts the whole table for a bare search).
        indexes = [
            models.Index(
                fields=["channel_id_copy", "created_at", "item"], name="archive_search_channel"
            ),
            models.Index(fields=["created_at", "item"], name="archive_search_created"),
        ]

    def __str__(self):
        return f"search entry {self.item_id}"
