"""The question inbox: order by time left, who sees what, handling, bounded queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kanalvakt.audit.models import AuditEvent
from kanalvakt.dialog.models import Question
from kanalvakt.organisation.roles import Role
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R3.1")]
INBOX = "/intern/dialog/"


def _login(client, user):
    client.force_login(user)
    return user


def test_inbox_orders_by_deadline_and_hides_answered(channel, capture, make_user, client):
    _login(client, make_user(Role.COMMUNICATOR))
    late, early, done = capture(
        channel, "När öppnar badhuset?", "Vem ansvarar för gatorna?", "Får man grilla här?"
    )
    now = timezone.now()
    Question.objects.filter(item=late).update(deadline=now + timedelta(hours=5))
    Question.objects.filter(item=early).update(deadline=now - timedelta(hours=1))
    Question.objects.filter(item=done).update(answered_at=now)
    response = client.get(INBOX)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["question"].item for r in rows] == [early, late]
    assert rows[0]["overdue"] and not rows[1]["overdue"]
    assert "När öppnar badhuset?" in response.content.decode()


def test_owners_see_only_their_channels(channel, capture, make_user, client):
    owner = _login(client, make_user(Role.ACCOUNT_OWNER))
    mine = make_channel(platform="facebook", responsible=owner.person)
    (own_item,) = capture(mine, "Har ni öppet i påsk?")
    (other_item,) = capture(channel, "Hur söker man plats på fritids?")
    response = client.get(INBOX)
    assert [r["question"].item for r in response.context["rows"]] == [own_item]
    other = Question.objects.get(item=other_item)
    assert client.get(f"{INBOX}fraga/{other.pk}/").status_code == 403
    assert client.get(f"{INBOX}fraga/{Question.objects.get(item=own_item).pk}/").status_code == 200


def test_auditor_sees_but_cannot_mark_handled(channel, capture, make_user, client):
    _login(client, make_user(Role.AUDITOR))
    capture(channel, "När töms soptunnorna?")
    question = Question.objects.get()
    assert client.get(INBOX).status_code == 200
    response = client.post(f"{INBOX}fraga/{question.pk}/hanterad/", {"reason": "Svar per telefon"})
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.is_open


def test_marking_handled_needs_a_reason_and_is_audited(channel, capture, make_user, client):
    user = _login(client, make_user(Role.MODERATOR))
    capture(channel, "När töms soptunnorna?")
    question = Question.objects.get()
    url = f"{INBOX}fraga/{question.pk}/hanterad/"
    client.post(url, {"reason": "  "})
    question.refresh_from_db()
    assert question.is_open
    client.post(url, {"reason": "Besvarad per telefon"})
    question.refresh_from_db()
    assert question.how_answered == Question.HowAnswered.MARKED_HANDLED
    assert question.handled_by == user and question.handled_reason == "Besvarad per telefon"
    assert AuditEvent.objects.filter(action="dialog.question.mark_handled").exists()


def test_inbox_queries_do_not_grow_with_questions(
    channel, capture, make_user, client, django_assert_max_num_queries
):
    _login(client, make_user(Role.COMMUNICATOR))
    for n in range(3):
        other = make_channel(platform="facebook")
        capture(other, *[f"Fråga nummer {n}-{i}: när öppnar ni?" for i in range(10)])
    with django_assert_max_num_queries(12):
        response = client.get(INBOX)
    assert len(response.context["rows"]) == 30
