"""Rows of the integrity log (docs/decisions/0102): one per logged record, one head row
with the compact frontier, and the signed tree heads.

Log entries are only ever inserted; a disposed record keeps its entry (R7.1), so the log
stays verifiable. The records themselves are the live ItemVersion/Media rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["LogHead", "LogLeaf", "LogNode", "SignedTreeHeadRow"]


class LogLeaf(models.Model):
    """Log entry ``index``: the leaf hash of one archived record."""

    index = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=20)  # item_version, media, screenshot
    record_pk = models.BigIntegerField()
    leaf_hash = models.BinaryField()  # 32 bytes
    appended_at = models.DateTimeField()

    class Meta:
        ordering = ["index"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_pk"], name="archive_logleaf_record")
        ]

    def __str__(self):
        return f"{self.index}: {self.kind} {self.record_pk}"


class LogNode(models.Model):
    """The hash of a perfect subtree: leaves ``[index * 2**level, (index + 1) * 2**level)``.

    Stored when appending completes one (levels ≥ integrity.NODE_LEVEL only, so about one
    row per 256 leaves). It never changes, and with it a proof reads at most 2**level leaf
    hashes per level instead of the whole log."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField()  # 32 bytes

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "index"], name="archive_lognode_position")
        ]

    def __str__(self):
        return f"node {self.level}/{self.index}"


class LogHead(models.Model):
    """The single head row (pk 1): size, frontier and the high-water mark of versions."""

    size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")  # popcount(size) * 32 bytes
    last_item_version_pk = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("log head")

    def __str__(self):
        return f"log head size {self.size}"


class SignedTreeHeadRow(models.Model):
    """A signed tree head as published; ``document`` is its canonical JSON."""

    size = models.BigIntegerField(db_index=True)
    root_hash = models.BinaryField()
    timestamp_ms = models.BigIntegerField()
    document = models.TextField()
    timestamp_token = models.BinaryField(null=True)  # RFC 3161 answer, when configured

    class Meta:
        ordering = ["size", "timestamp_ms"]
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")

    def __str__(self):
        return f"STH size {self.size}"


from kanalvakt.archive.search_models import *  # noqa: E402,F403  (one import line in models.py)
