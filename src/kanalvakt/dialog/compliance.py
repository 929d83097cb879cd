"""Dialog in the compliance overview (R3.1) and the monthly report section."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kanalvakt.compliance.checks import Finding, Status, compliance_check, compliance_preload
from kanalvakt.compliance.report import report_section
from kanalvakt.dialog import reports
from kanalvakt.dialog.models import Question
from kanalvakt.registry.models import Channel

LIVE = (Channel.Status.ACTIVE, Channel.Status.PAUSED)
WINDOW = timedelta(days=30)
TARGET_SHARE = 90  # per cent of questions answered within target before it is a warning


@compliance_preload
def _question_counts(channels):
    now = timezone.now()
    counts = (
        Question.objects.filter(channel__in=channels)
        .values("channel_id")
        .annotate(
            overdue=Count("pk", filter=Q(answered_at__isnull=True, deadline__lt=now)),
            recent=Count("pk", filter=Q(received_at__gte=now - WINDOW, deadline__lt=now)),
            recent_in_time=Count(
                "pk",
                filter=Q(received_at__gte=now - WINDOW, deadline__lt=now)
                & Q(answered_at__isnull=False, answered_at__lte=F("deadline")),
            ),
        )
    )
    return {"dialog_counts": {row["channel_id"]: row for row in counts}}


@compliance_check("R3.1", "questions_answered", _lazy("Questions answered within target"))
def questions_answered(channel, ctx):
    if channel.status not in LIVE:
        return Finding(Status.NOT_APPLICABLE, "")
    counts = ctx.get("dialog_counts", {}).get(channel.pk)
    fix = reverse("dialog:inbox") + f"?kanal={channel.pk}"
    if not counts or not (counts["recent"] or counts["overdue"]):
        return Finding(Status.OK, _("No questions due in the last 30 days."))
    if counts["overdue"]:
        return Finding(
            Status.VIOLATION,
            _("%(n)d question(s) are past their deadline without an answer.")
            % {"n": counts["overdue"]},
            fix,
        )
    share = round(100 * counts["recent_in_time"] / counts["recent"])
    detail = _("%(share)d%% of %(n)d questions in the last 30 days were answered in time.") % {
        "share": share,
        "n": counts["recent"],
    }
    return Finding(Status.OK if share >= TARGET_SHARE else Status.WARNING, detail, fix)


@report_section
def dialog_section(start, end):
    figs = reports.figures(start, end)
    return {
        "title": _("Questions and response times"),
        "headers": [_(h) for h in reports.HEADERS],
        "rows": reports.rows(figs),
        "empty": _("No questions were received this month."),
    }
