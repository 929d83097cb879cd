"""Enqueue due ScheduledJobs. Runs in the worker; several workers never double-enqueue
because each due row is claimed by moving its next_run_at with a conditional UPDATE."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from kanalvakt.core.models import ScheduledJob

logger = logging.getLogger(__name__)


def ensure_job(name: str, task_path: str, interval_seconds: int) -> ScheduledJob:
    """Declare a periodic job (idempotent; an admin's edited interval is kept)."""
    job, _ = ScheduledJob.objects.get_or_create(
        name=name, defaults={"task_path": task_path, "interval_seconds": interval_seconds}
    )
    return job


def enqueue_due(now=None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for job in ScheduledJob.objects.filter(enabled=True, next_run_at__lte=now):
        # Skip runs missed while the worker was down: one run now, then the interval.
        next_run = now + job.interval
        claimed = ScheduledJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
            next_run_at=next_run, last_enqueued_at=now
        )
        if not claimed:
            continue  # another worker took it
        try:
            import_string(job.task_path).enqueue()
            error = ""
            enqueued.append(job.name)
        except Exception as exc:
            logger.exception("Scheduled job %s could not be enqueued", job.name)
            error = f"{type(exc).__name__}: {exc}"
        ScheduledJob.objects.filter(pk=job.pk).update(last_error=error)
    return enqueued


class SchedulerThread(threading.Thread):
    def __init__(self, interval: float = 5.0):
        super().__init__(name="kanalvakt-scheduler", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                close_old_connections()
                enqueue_due()
            except Exception:
                logger.exception("Scheduler tick failed")
            self.stopping.wait(self.interval)
        close_old_connections()

    def stop(self):
        self.stopping.set()
