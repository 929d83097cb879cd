"""The watch schedule and response target of a channel, from its activity plan (ADR 0101)."""

from __future__ import annotations

from kanalvakt.core.clock import OSBY_DEFAULT_TARGET, ResponseTarget, WatchSchedule

# A channel without a plan is treated as watched office hours, the guideline's minimum.
_OFFICE_HOURS = WatchSchedule.weekly()


def schedule_for_plan(plan) -> WatchSchedule:
    """The one place a plan becomes a WatchSchedule; None (no plan) → office hours."""
    if plan is None or not plan.watched_weekdays:
        return _OFFICE_HOURS
    return WatchSchedule.weekly(
        {tuple(plan.watched_weekdays): [(plan.watch_start, plan.watch_end)]}
    )


def schedule_for_channel(channel) -> WatchSchedule:
    return schedule_for_plan(channel.current_plan())


def target_for_channel(channel) -> ResponseTarget:
    """The channel's own target if set and valid, else Osby's default (1 working day)."""
    from kanalvakt.dialog.models import ChannelDialogSettings

    text = (
        ChannelDialogSettings.objects.filter(channel=channel)
        .values_list("response_target", flat=True)
        .first()
    )
    if text:
        try:
            return ResponseTarget.parse(text)
        except ValueError:
            pass  # validated on save in the form; a stale bad value must not stop capture
    return OSBY_DEFAULT_TARGET
