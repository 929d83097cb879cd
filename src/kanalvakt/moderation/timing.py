"""Time to decision counted in the channel's watched hours (R4.3 target, ADR 0113).

The clock is core.clock (the dialog's response-time clock): a channel's activity plan
says when it is watched; time outside the watch, weekends and Swedish days off does not
count. A comment captured on Friday evening is not overdue on Saturday morning.
Wall-clock time stays on the case (`time_to_decision`) for reports that want it."""

from __future__ import annotations

from datetime import datetime, timedelta

from kanalvakt.core.clock import WatchSchedule, add_watched_time, watched_duration
from kanalvakt.registry.watch import current_plans, schedule_for_plan


def schedules_for(channel_ids) -> dict[int, WatchSchedule]:
    """Each channel's watch schedule, from its latest activity plan (one query)."""
    plans = current_plans(channel_ids)
    return {cid: schedule_for_plan(plans.get(cid)) for cid in set(channel_ids)}


def due_at(schedule: WatchSchedule, captured_at: datetime, target_hours: float) -> datetime:
    return add_watched_time(schedule, captured_at, timedelta(hours=target_hours))


def watched_between(schedule: WatchSchedule, start: datetime, end: datetime) -> timedelta:
    return watched_duration(schedule, start, end)


def watched_hours(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)
