"""R7.7 in the compliance view and the monthly report: screenshots every six months."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kanalvakt.compliance.checks import Finding, Status, compliance_check, compliance_preload
from kanalvakt.compliance.report import report_section
from kanalvakt.screenshots import schedule


@compliance_preload
def _duties(channels):
    from kanalvakt.registry.models import Channel

    live = [c.pk for c in channels if c.status in schedule.DUTY_STATUSES]
    return {
        "screenshot_duties": {
            d.channel.pk: d for d in schedule.duties(Channel.objects.filter(pk__in=live))
        }
    }


@compliance_check("R7.7", "screenshot", _lazy("Screenshot not overdue"))
def screenshot(channel, ctx):
    duty = ctx["screenshot_duties"].get(channel.pk)
    if duty is None:
        return Finding(Status.NOT_APPLICABLE, "")
    state = duty.state()
    fix = reverse("screenshots:channel", args=[channel.pk])
    due = f"{timezone.localtime(duty.due_at):%Y-%m-%d}"
    if state in (schedule.OVERDUE, schedule.ESCALATED):
        return Finding(
            Status.VIOLATION, _("A screenshot was due on %(date)s.") % {"date": due}, fix
        )
    if state == schedule.DUE:
        return Finding(Status.WARNING, _("A screenshot is due (%(date)s).") % {"date": due}, fix)
    return Finding(Status.OK, _("Next screenshot due on %(date)s.") % {"date": due})


@report_section
def upcoming_screenshots(start, end):
    horizon = end + timedelta(days=31)
    rows = [
        [str(d.channel), f"{timezone.localtime(d.due_at):%Y-%m-%d}", str(d.state_label())]
        for d in schedule.duties()
        if d.due_at <= horizon
    ]
    return {
        "title": _("Screenshots due before the end of next month"),
        "headers": [_("Account"), _("Due"), _("State")],
        "rows": rows,
        "empty": _("No screenshots are due."),
    }
