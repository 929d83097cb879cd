"""Escalation of unanswered questions (R3.1).

Level 1 as soon as a question is past its deadline: the channel's responsible person is
mailed. Level 2 when it is still open ESCALATE_AFTER_WATCHED more watched hours after the
deadline: the deputies and the communicators. Watched time, so a question due on Friday
afternoon does not reach the communicators on Saturday.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.core.clock import watched_duration
from kanalvakt.core.notify import notify
from kanalvakt.dialog.models import Question
from kanalvakt.registry.watch import current_plans, schedule_for_plan

ESCALATE_AFTER_WATCHED = timedelta(hours=4)


def escalate_overdue(now=None) -> dict[int, int]:
    """Escalate every overdue open question one level where due; returns {level: count}."""
    from kanalvakt.dialog.actions import record_escalation
    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.organisation.roles import Role
    from kanalvakt.registry.actions import people_in_role

    now = now or timezone.now()
    overdue = list(
        Question.objects.filter(answered_at__isnull=True, deadline__lte=now, escalation_level__lt=2)
        .select_related("channel__responsible", "item")
        .prefetch_related("channel__deputies")
    )
    plans = current_plans(q.channel_id for q in overdue)
    communicators = None
    actor = SystemActor("dialog-escalation")
    counts = {1: 0, 2: 0}
    for question in overdue:
        level = question.escalation_level
        if level == 0:
            recipients = [question.channel.responsible]
        else:
            schedule = schedule_for_plan(plans.get(question.channel_id))
            if watched_duration(schedule, question.deadline, now) < ESCALATE_AFTER_WATCHED:
                continue
            if communicators is None:
                communicators = list(people_in_role(Role.COMMUNICATOR))
            recipients = [*question.channel.deputies.all(), *communicators]
        record_escalation(actor, question, level=level + 1, now=now)
        notify(
            recipients,
            _("Unanswered question on %(channel)s") % {"channel": question.channel.display_name},
            "dialog/email/overdue.txt",
            {"question": question, "level": level + 1},
        )
        counts[level + 1] += 1
    return counts
