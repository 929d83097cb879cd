"""When each account's screenshot is due (R7.7).

A channel that exists publicly (active or paused) is due six months (configurable) after
its last accepted screenshot, at once when it has none, and at once when a major change
was noted after that screenshot. Due dates are computed, never stored, so an accepted
screenshot or a noted change moves them without bookkeeping.

States: ok → due soon (within the reminder window) → due (the worker is at it, or an
upload is awaited) → overdue (after the grace days; the responsible is reminded) →
escalated (deputies and communicators are told too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.core.dates import add_months
from kanalvakt.registry.models import Channel
from kanalvakt.screenshots import conf
from kanalvakt.screenshots.models import MajorChange, Screenshot

DUTY_STATUSES = (Channel.Status.ACTIVE, Channel.Status.PAUSED)

OK, DUE_SOON, DUE, OVERDUE, ESCALATED = "ok", "due_soon", "due", "overdue", "escalated"
STATE_LABELS = {
    OK: _("Up to date"),
    DUE_SOON: _("Due soon"),
    DUE: _("Due"),
    OVERDUE: _("Overdue"),
    ESCALATED: _("Overdue, escalated"),
}


@dataclass
class Duty:
    channel: Channel
    due_at: datetime
    kind: str  # Screenshot.Kind the next capture fulfils: first, scheduled or change
    last_accepted_at: datetime | None
    first_change_at: datetime | None = None
    last_failure_at: datetime | None = None
    pending_review: bool = False
    changes: list[MajorChange] = field(default_factory=list)

    @property
    def overdue_at(self) -> datetime:
        return self.due_at + timedelta(days=conf.get("SCREENSHOT_GRACE_DAYS"))

    @property
    def escalate_at(self) -> datetime:
        return self.overdue_at + timedelta(days=conf.get("SCREENSHOT_ESCALATE_DAYS"))

    @property
    def remind_at(self) -> datetime:
        return self.due_at - timedelta(days=conf.get("SCREENSHOT_REMIND_DAYS_BEFORE"))

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now >= self.escalate_at:
            return ESCALATED
        if now >= self.overdue_at:
            return OVERDUE
        if now >= self.due_at:
            return DUE
        if now >= self.remind_at:
            return DUE_SOON
        return OK

    def state_label(self, now: datetime | None = None):
        return STATE_LABELS[self.state(now)]

    def ready_to_capture(self, now: datetime) -> bool:
        """Due, no upload waiting for review, and no failed attempt for this due date
        within the retry interval (a blocked platform is not hammered every run)."""
        if now < self.due_at or self.pending_review:
            return False
        if self.last_failure_at is None or self.last_failure_at < self.due_at:
            return True
        return now - self.last_failure_at >= timedelta(hours=conf.get("SCREENSHOT_RETRY_HOURS"))


def _annotated(channels):
    # Subqueries rather than aggregates: the change subquery refers to the last accepted
    # screenshot, which an aggregate would turn into an invalid HAVING clause.
    of_channel = Screenshot.objects.filter(channel=OuterRef("pk")).exclude(
        kind=Screenshot.Kind.EVIDENCE
    )

    def latest(status):
        return of_channel.filter(status=status).order_by("-taken_at").values("taken_at")[:1]

    first_change = MajorChange.objects.filter(
        channel=OuterRef("pk"), noted_at__gt=OuterRef("last_accepted_at")
    ).order_by("noted_at")
    any_change = MajorChange.objects.filter(channel=OuterRef("pk")).order_by("noted_at")
    return (
        channels.select_related("platform", "responsible", "org_unit")
        .annotate(
            last_accepted_at=Subquery(latest(Screenshot.Status.ACCEPTED)),
            last_failure_at=Subquery(latest(Screenshot.Status.FAILED)),
            pending_review=Exists(of_channel.filter(status=Screenshot.Status.PENDING)),
        )
        .annotate(
            first_change_at=Subquery(first_change.values("noted_at")[:1]),
            any_change_at=Subquery(any_change.values("noted_at")[:1]),
        )
    )


def duty_from(channel) -> Duty:
    last = channel.last_accepted_at
    months = conf.get("SCREENSHOT_INTERVAL_MONTHS")
    if last is None:
        due_at, kind, change_at = channel.status_changed_at, Screenshot.Kind.FIRST, None
        change_at = channel.any_change_at
    else:
        due_at, kind = add_months(last, months), Screenshot.Kind.SCHEDULED
        change_at = channel.first_change_at
        if change_at is not None and change_at < due_at:
            due_at, kind = change_at, Screenshot.Kind.CHANGE
    return Duty(
        channel=channel,
        due_at=due_at,
        kind=kind,
        last_accepted_at=last,
        first_change_at=change_at,
        last_failure_at=channel.last_failure_at,
        pending_review=channel.pending_review,
    )


def duties(channels=None) -> list[Duty]:
    """The duty of every channel that must have screenshots, earliest due first."""
    if channels is None:
        channels = Channel.objects.filter(status__in=DUTY_STATUSES)
    return sorted((duty_from(c) for c in _annotated(channels)), key=lambda d: d.due_at)


def duty_for(channel: Channel) -> Duty | None:
    if channel.status not in DUTY_STATUSES:
        return None
    found = duties(Channel.objects.filter(pk=channel.pk))
    if not found:
        return None
    duty = found[0]
    if duty.last_accepted_at is not None:
        duty.changes = list(channel.major_changes.filter(noted_at__gt=duty.last_accepted_at))
    else:
        duty.changes = list(channel.major_changes.all())
    return duty


def ready_to_capture(now: datetime | None = None, limit: int | None = None) -> list[Duty]:
    now = now or timezone.now()
    ready = [d for d in duties() if d.ready_to_capture(now)]
    return ready[: limit or conf.get("SCREENSHOT_MAX_PER_RUN")]
