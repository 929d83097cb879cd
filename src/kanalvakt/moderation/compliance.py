"""R4.1 and R7.6 in the compliance view: the queue within target, nothing confidential up."""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kanalvakt.compliance.checks import Finding, Status, compliance_check, compliance_preload
from kanalvakt.moderation.models import ModerationCase

LIVE = ("active", "paused")


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
    return {"open_moderation_cases": by_channel}


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
            _("%(n)s flagged comments wait longer than the target.") % {"n": len(overdue)},
            _queue(channel),
        )
    return Finding(Status.OK, _("No flagged comment waits longer than the target."))


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
