"""The monthly compliance report (PDF, Swedish) for the central office.

Sections from other apps (response times, moderation, upcoming screenshots) join through
`report_section`: a function(month_start, month_end) -> {"title", "rows": [[…]], "headers"}.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kanalvakt.compliance.evaluate import channels_for_compliance, evaluate, summary
from kanalvakt.compliance.models import MonthlySnapshot

REPORT_SECTIONS = []


def report_section(fn):
    REPORT_SECTIONS.append(fn)
    return fn


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = month.replace(day=1)
    last = calendar.monthrange(start.year, start.month)[1]
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tz),
        datetime.combine(start.replace(day=last), time.max, tz),
    )


def snapshot_of(reports) -> dict:
    return {str(r.channel.pk): {c.key: c.status.value for c in r.results} for r in reports}


def changes_since(previous: dict, current: dict, names: dict) -> list[dict]:
    changes = []
    for channel_id, checks in current.items():
        before = previous.get(channel_id, {})
        for key, status in checks.items():
            if before.get(key) not in (None, status):
                changes.append(
                    {
                        "channel": names.get(channel_id, channel_id),
                        "check": key,
                        "before": before[key],
                        "after": status,
                    }
                )
    return changes


def build_report(month: date) -> tuple[bytes, dict]:
    """(PDF bytes, snapshot) of the compliance situation for `month`."""
    from weasyprint import HTML

    from kanalvakt.public.municipality import municipality_context

    start, end = month_bounds(month)
    reports = evaluate(channels_for_compliance())
    current = snapshot_of(reports)
    previous = MonthlySnapshot.objects.filter(month__lt=start.date()).first()
    names = {str(r.channel.pk): str(r.channel) for r in reports}
    with translation.override("sv"):
        html = render_to_string(
            "compliance/report.html",
            {
                **municipality_context(),
                "month": start.date(),
                "generated_at": timezone.now(),
                "reports": reports,
                "summary": summary(reports),
                "checks": reports[0].results if reports else [],
                "changes": changes_since(previous.results if previous else {}, current, names),
                "previous": previous,
                "sections": [section(start, end) for section in REPORT_SECTIONS],
            },
        )
    return HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf(), current


def first_weekday(month: date) -> date:
    from kanalvakt.core.clock import swedish_days_off

    day = month.replace(day=1)
    off = swedish_days_off(day.year)
    while day.weekday() >= 5 or day in off:
        day += timedelta(days=1)
    return day


def send_monthly_report(today: date | None = None) -> bool:
    """On the first weekday of a month, send last month's report once. True if sent."""
    from kanalvakt.organisation.roles import Role
    from kanalvakt.registry.actions import people_in_role

    today = today or timezone.localdate()
    if today != first_weekday(today):
        return False
    reported = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if MonthlySnapshot.objects.filter(month=reported, sent_at__isnull=False).exists():
        return False
    pdf, snapshot = build_report(reported)
    recipients = [p.email for p in people_in_role(Role.CENTRAL_OFFICE)]
    with translation.override("sv"):
        subject = _("Compliance with the social media guideline, %(month)s") % {
            "month": f"{reported:%Y-%m}"
        }
        body = render_to_string("compliance/email/monthly.txt", {"month": reported})
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach(f"efterlevnad-{reported:%Y-%m}.pdf", pdf, "application/pdf")
    message.send()
    MonthlySnapshot.objects.update_or_create(
        month=reported, defaults={"results": snapshot, "sent_at": timezone.now()}
    )
    return True
