"""Reminders about screenshots (R7.7: "Den som ansvarar för kontot ansvarar också för att
detta görs"): to the responsible person two weeks before a screenshot is due, when
automation failed (please upload one), and when it is overdue; then also to the deputies
and the communicators. Each is sent once per channel, kind and due date."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.screenshots import actions
from kanalvakt.screenshots.models import Screenshot, ScreenshotReminder
from kanalvakt.screenshots.schedule import DUE_SOON, ESCALATED, OVERDUE, duties, duty_for

Kind = ScreenshotReminder.Kind


def _already_sent(channel, kind: str, due_at) -> bool:
    return ScreenshotReminder.objects.filter(channel=channel, kind=kind, due_at=due_at).exists()


def _send(channel, kind: str, due_at, recipients, subject, template, context=None) -> bool:
    if _already_sent(channel, kind, due_at):
        return False
    reminder = actions.send_reminder(
        SystemActor("worker"),
        channel,
        kind=kind,
        due_at=due_at,
        recipients=recipients,
        subject=subject,
        template=template,
        context=context or {},
    )
    return reminder is not None


def request_upload(channel, shot: Screenshot, *, due_at=None) -> bool:
    """Automation could not see the page: ask the responsible person to upload a
    screenshot they took. Keyed to the due date, so repeated failures ask once."""
    if due_at is None:
        duty = duty_for(channel)
        if duty is None or duty.due_at > timezone.now():
            return False  # an extra capture on request failed; nothing is due yet
        due_at = duty.due_at
    with translation.override("sv"):
        return _send(
            channel,
            Kind.UPLOAD_REQUESTED,
            due_at,
            [channel.responsible],
            _("Upload a screenshot of %(name)s") % {"name": channel},
            "screenshots/email/upload_requested.txt",
            {"screenshot": shot},
        )


def send_due_reminders(now=None) -> dict[str, int]:
    """Send what is due today; a rerun the same day sends nothing new."""
    from kanalvakt.registry.actions import people_in_role

    now = now or timezone.now()
    sent = {Kind.BEFORE_DUE: 0, Kind.OVERDUE: 0, Kind.ESCALATED: 0}
    communicators = None
    with translation.override("sv"):
        for duty in duties():
            if duty.pending_review:
                continue  # the acceptors were told when it was uploaded
            channel, state = duty.channel, duty.state(now)
            context = {"duty": duty}
            if state == DUE_SOON:
                sent[Kind.BEFORE_DUE] += _send(
                    channel,
                    Kind.BEFORE_DUE,
                    duty.due_at,
                    [channel.responsible],
                    _("A screenshot of %(name)s is due soon") % {"name": channel},
                    "screenshots/email/due_soon.txt",
                    context,
                )
            if state in (OVERDUE, ESCALATED):
                sent[Kind.OVERDUE] += _send(
                    channel,
                    Kind.OVERDUE,
                    duty.due_at,
                    [channel.responsible],
                    _("The screenshot of %(name)s is overdue") % {"name": channel},
                    "screenshots/email/overdue.txt",
                    context,
                )
            if state == ESCALATED:
                if communicators is None:
                    communicators = list(people_in_role(Role.COMMUNICATOR))
                sent[Kind.ESCALATED] += _send(
                    channel,
                    Kind.ESCALATED,
                    duty.due_at,
                    [channel.responsible, *channel.deputies.all(), *communicators],
                    _("Still no screenshot of %(name)s") % {"name": channel},
                    "screenshots/email/escalated.txt",
                    context,
                )
    return {str(kind): count for kind, count in sent.items()}
