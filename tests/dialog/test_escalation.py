"""Escalation of overdue questions over real SMTP (R3.1): the responsible person first,
then, after more watched hours, the deputies and the communicators."""

from datetime import timedelta

import pytest

from dialog.conftest import T0
from kanalvakt.audit.models import AuditEvent
from kanalvakt.core.scheduler import ensure_job
from kanalvakt.dialog.escalation import ESCALATE_AFTER_WATCHED, escalate_overdue
from kanalvakt.dialog.models import Question
from kanalvakt.organisation.roles import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.req("R3.1")]


def _recipients(messages):
    return sorted(m["To"] for m in messages)


def test_overdue_question_goes_to_responsible_then_deputies_and_communicators(
    channel, capture, make_user, smtp_server
):
    communicator = make_user(Role.COMMUNICATOR)
    capture(channel, "När töms soptunnorna i Rya?")
    question = Question.objects.get()
    deadline = question.deadline  # Tuesday 10:00 Stockholm

    assert escalate_overdue(now=deadline - timedelta(minutes=1)) == {1: 0, 2: 0}
    assert smtp_server == []

    assert escalate_overdue(now=deadline + timedelta(minutes=15)) == {1: 1, 2: 0}
    assert _recipients(smtp_server) == [channel.responsible.email]
    assert "soptunnorna" in smtp_server[0].get_payload(decode=True).decode()
    question.refresh_from_db()
    assert question.escalation_level == 1

    # Not yet N watched hours later: nothing more.
    assert escalate_overdue(now=deadline + ESCALATE_AFTER_WATCHED - timedelta(minutes=1)) == {
        1: 0,
        2: 0,
    }
    assert escalate_overdue(now=deadline + ESCALATE_AFTER_WATCHED) == {1: 0, 2: 1}
    deputies = [p.email for p in channel.deputies.all()]
    assert _recipients(smtp_server[1:]) == sorted([*deputies, communicator.person.email])
    assert AuditEvent.objects.filter(action="dialog.question.escalate").count() == 2
    # Level 2 is the last: no more mail.
    assert escalate_overdue(now=deadline + timedelta(days=3)) == {1: 0, 2: 0}
    assert len(smtp_server) == 1 + len(deputies) + 1


def test_the_second_level_waits_for_watched_not_calendar_hours(
    channel, capture, make_user, smtp_server
):
    make_user(Role.COMMUNICATOR)
    # Received Thursday 16:00 Stockholm: due Friday 16:00; four watched hours later is
    # Monday 11:00, not Friday 20:00.
    capture(channel, "Vem ansvarar för gatubelysningen?", at=T0 + timedelta(days=3, hours=6))
    deadline = Question.objects.get().deadline
    escalate_overdue(now=deadline)
    assert escalate_overdue(now=deadline + timedelta(hours=20))[2] == 0
    assert escalate_overdue(now=deadline + timedelta(days=2, hours=19))[2] == 1


def test_answered_questions_are_not_escalated(channel, capture, reply, smtp_server):
    (item,) = capture(channel, "Går det att boka idrottshallen?")
    reply(item, "Ja!", at=T0 + timedelta(hours=1))
    assert escalate_overdue(now=T0 + timedelta(days=5)) == {1: 0, 2: 0}
    assert smtp_server == []


def test_escalation_runs_every_fifteen_minutes(db):
    job = ensure_job("dialog-escalate", "kanalvakt.dialog.tasks.escalate_overdue", 15 * 60)
    assert job.interval_seconds == 900
