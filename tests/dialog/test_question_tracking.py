"""Questions opened from captured items, deadlines from the plan, answers from replies."""

from datetime import UTC, datetime, time, timedelta

import pytest

from dialog.conftest import T0
from kanalvakt.dialog.models import ChannelDialogSettings, Question
from kanalvakt.dialog.schedule import target_for_channel
from kanalvakt.registry.models import ActivityPlanVersion
from kanalvakt.registry.watch import schedule_for_plan
from registry.helpers import valid_plan

pytestmark = [pytest.mark.django_db, pytest.mark.req("R3.1")]


def test_third_party_questions_are_opened_with_a_working_day_deadline(channel, capture):
    question_item, remark = capture(
        channel, "När öppnar badhuset efter renoveringen?", "Fint foto!"
    )
    question = Question.objects.get()
    assert question.item == question_item and question.channel == channel
    assert question.received_at == T0
    assert "interrogative_word" in question.cues
    # Monday 10:00 + 1 working day = Tuesday 10:00 (Stockholm) = 09:00 UTC.
    assert question.deadline == T0 + timedelta(days=1)
    assert not Question.objects.filter(item=remark).exists()


def test_owner_posts_never_become_questions(channel, capture):
    capture(channel)  # only the owner's post, which has no question in it anyway
    assert not Question.objects.exists()


def test_an_owner_reply_answers_the_question(channel, capture, reply):
    (item,) = capture(channel, "Går det att boka idrottshallen på helgen?")
    answer = reply(item, "Ja, via bokningssidan.", at=T0 + timedelta(hours=2))
    question = Question.objects.get()
    assert question.answered_at == T0 + timedelta(hours=2)
    assert question.how_answered == Question.HowAnswered.REPLY_SEEN
    assert question.answer_item == answer


def test_the_channel_target_overrides_the_default(channel, capture):
    ChannelDialogSettings.objects.create(channel=channel, response_target="4 timmar")
    assert target_for_channel(channel).watched == timedelta(hours=4)
    capture(channel, "Vem ansvarar för gatubelysningen?")
    assert Question.objects.get().deadline == T0 + timedelta(hours=4)


def test_the_current_plan_schedule_decides_the_deadline(channel, capture):
    # A weekend-only plan: a question arriving on Monday, outside the watch, is due when the
    # first watched day's watch ends (ADR 0101): Saturday 14:00 Stockholm.
    ActivityPlanVersion.objects.create(
        channel=channel,
        version=2,
        author_label="test",
        **valid_plan(watched_weekdays=[5, 6], watch_start=time(10), watch_end=time(14)),
    )
    assert schedule_for_plan(channel.current_plan()).weekdays == frozenset({5, 6})
    capture(channel, "Har ni öppet i helgen?")
    assert Question.objects.get().deadline == datetime(2026, 3, 7, 13, 0, tzinfo=UTC)
