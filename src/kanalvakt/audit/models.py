"""The audit log: one append-only, hash-chained row per change or sensitive read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    # `seq` is assigned under a lock as previous + 1, so a removed row leaves a gap
    # even though database ids may skip after rolled-back transactions.
    seq = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    # The actor is kept as plain values, not a foreign key, so the event survives
    # deletion of the user and no cascade ever has to UPDATE an audit row.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=300)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_label}"
