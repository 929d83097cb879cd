"""R4.1 and R7.6 in the compliance view: the queue within target, nothing confidential up."""

from collections import defaultdict
from datetime import timedelta
from statistics import median

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kanalvakt.compliance.checks import Finding, Status, compliance_check, compliance_preload
from kanalvakt.moderation.models import ModerationCase

LIVE = ("active", "paused")
RECENT_DAYS = 30


@compliance_preload
def _open_cases(channels):
    by_channel = defaultdict(list)
    cases = (
        ModerationCase.objects.filter(state=ModerationCase.State.OPEN, item__channel__in=channels)
        .select_related("item")
        .prefetch_related("flags")
    )
    for case in cases:
        by_channel[case.item.channel_id].append(case)
    # Watched hours from capture to decision over the last 30 days, per channel.
    decided = defaultdict(list)
    for channel_id, seconds in ModerationCase.objects.filter(
        item__channel__in=channels,
        decided_at__gte=timezone.now() - timedelta(days=RECENT_DAYS),
        watched_seconds_to_decision__isnull=False,
    ).values_list("item__channel_id", "watched_seconds_to_decision"):
        decided[channel_id].append(seconds / 3600)
    return {"open_moderation_cases": by_channel, "moderation_decision_hours": decided}


def _time_to_decision(channel, ctx) -> str:
    hours = ctx.get("moderation_decision_hours", {}).get(channel.pk)
    if not hours:
        return ""
    return " " + _(
        "Median time to decision over %(days)s days: %(hours)s h of watched time (%(n)s cases)."
    ) % {"days": RECENT_DAYS, "hours": f"{median(hours):.1f}", "n": len(hours)}


def _queue(channel):
    return reverse("moderation:queue") + f"?channel={channel.pk}"


@compliance_check("R4.1", "moderation_queue", _lazy("Moderation queue within target"))
def moderation_queue(channel, ctx):
    if channel.status not in LIVE:
        return Finding(Status.NOT_APPLICABLE, "")
    overdue = [c for c in ctx["open_moderation_cases"].get(channel.pk, []) if c.is_overdue()]
    if overdue:
        return Finding(
            Status.WARNING,
            _("%(n)s flagged comments wait longer than the target.") % {"n": len(overdue)}
            + _time_to_decision(channel, ctx),
            _queue(channel),
        )
    return Finding(
        Status.OK,
        _("No flagged comment waits longer than the target.") + _time_to_decision(channel, ctx),
    )


@compliance_check("R7.6", "confidential", _lazy("Nothing confidential left up"))
def confidential(channel, ctx):
    if channel.status not in LIVE:
        return Finding(Status.NOT_APPLICABLE, "")
    waiting = [
        c
        for c in ctx["open_moderation_cases"].get(channel.pk, [])
        if any(f.category_id == "confidential" for f in c.flags.all())
    ]
    if any(c.is_overdue() for c in waiting):
        return Finding(
            Status.VIOLATION,
            _("A comment with confidential data is still up past the target."),
            _queue(channel),
        )
    if waiting:
        return Finding(
            Status.WARNING,
            _("A comment with confidential data waits for removal."),
            _queue(channel),
        )
    return Finding(Status.OK, _("No comment with confidential data waits."))
