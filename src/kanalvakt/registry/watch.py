"""When a channel is watched, from its activity plan (ADR 0101): the one place a plan
becomes a WatchSchedule, for response times (dialog) and decision times (moderation)."""

from __future__ import annotations

from kanalvakt.core.clock import WatchSchedule
from kanalvakt.registry.models import ActivityPlanVersion

# A channel without a plan is treated as watched office hours, the guideline's minimum.
_OFFICE_HOURS = WatchSchedule.weekly()


def schedule_for_plan(plan) -> WatchSchedule:
    """None (no plan) → office hours."""
    if plan is None or not plan.watched_weekdays:
        return _OFFICE_HOURS
    return WatchSchedule.weekly(
        {tuple(plan.watched_weekdays): [(plan.watch_start, plan.watch_end)]}
    )


def schedule_for_channel(channel) -> WatchSchedule:
    return schedule_for_plan(channel.current_plan())


def current_plans(channel_ids) -> dict[int, ActivityPlanVersion]:
    """The latest plan version of each channel, in one query."""
    plans = {}
    for plan in ActivityPlanVersion.objects.filter(channel_id__in=set(channel_ids)).order_by(
        "channel_id", "-version"
    ):
        plans.setdefault(plan.channel_id, plan)
    return plans
