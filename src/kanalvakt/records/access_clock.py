"""The clock of an access request: age in hours, overdue after N hours of working time.

A request must be handled promptly (skyndsamt, TF 2 kap. 15 §); JO's practice is the same
day or within a few days. Age is shown in plain hours since receipt (what the requester
experiences); a request is overdue after ACCESS_REQUEST_OVERDUE_WORKING_HOURS of working
time (Mon–Fri 08–17, not on Swedish public holidays), default 18 = two working days
(ADR 0107).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from kanalvakt.core.clock import WatchSchedule, watched_duration

DEFAULT_OVERDUE_WORKING_HOURS = 18
OFFICE_HOURS = WatchSchedule.weekly()  # Mon–Fri 08:00–17:00, holidays off


@dataclass(frozen=True)
class RequestClock:
    hours: int
    working_hours: int
    overdue: bool


def overdue_after() -> timedelta:
    hours = getattr(settings, "ACCESS_REQUEST_OVERDUE_WORKING_HOURS", None)
    return timedelta(hours=DEFAULT_OVERDUE_WORKING_HOURS if hours is None else hours)


def clock_for(request, now=None) -> RequestClock:
    """The clock stops when the records are delivered."""
    now = now or timezone.now()
    end = now
    if request.state != "open":
        end = request.deliveries.order_by("created_at").values_list("created_at", flat=True).first()
        end = end or request.closed_at or now
    working = watched_duration(OFFICE_HOURS, request.received_at, end)
    return RequestClock(
        hours=int((end - request.received_at).total_seconds() // 3600),
        working_hours=int(working.total_seconds() // 3600),
        overdue=request.state == "open" and working >= overdue_after(),
    )
