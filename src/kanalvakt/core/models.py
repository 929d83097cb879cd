"""Periodic work as data: the worker's scheduler enqueues each job when it is due."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    task_path = models.CharField(
        _("task"), max_length=200, help_text=_("Dotted path of a background task.")
    )
    interval_seconds = models.PositiveIntegerField(_("interval (seconds)"))
    next_run_at = models.DateTimeField(_("next run"), default=timezone.now, db_index=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["next_run_at"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self):
        return self.name

    @property
    def interval(self) -> timedelta:
        return timedelta(seconds=self.interval_seconds)


class Heartbeat(models.Model):
    """When a background component last showed it was alive (the worker, connectors …)."""

    name = models.CharField(max_length=100, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M}"
