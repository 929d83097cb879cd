"""Time to decision (R4.3 target): counted in the channel's watched hours from its activity
plan (core.clock), so a comment captured on Friday evening is not overdue on Saturday;
wall-clock time stays available; the queue, the case page and the compliance check show it."""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from kanalvakt.compliance.evaluate import channels_for_compliance, evaluate
from kanalvakt.moderation.actions import decide
from kanalvakt.moderation.models import ModerationCase
from kanalvakt.organisation.roles import Role
from kanalvakt.registry.models import ActivityPlanVersion, Channel
from registry.helpers import valid_plan

pytestmark = pytest.mark.django_db
# Friday 6 March 2026, 18:00 in Stockholm (UTC+1); the test channel is watched Mon-Fri
# 08-17 and the default target is 4 watched hours.
FRIDAY_EVENING = "2026-03-06 17:00:00+00:00"


@pytest.fixture
def moderator(make_user, client):
    user = make_user(Role.MODERATOR)
    client.force_login(user)
    return user


@pytest.mark.req("R4.3")
def test_captured_friday_evening_is_due_monday_noon_not_saturday(channel, capture):
    with freeze_time(FRIDAY_EVENING) as frozen:
        (item,) = capture(channel, "Du är en jävla idiot.")
        case = ModerationCase.objects.get(item=item)
        assert case.deadline.isoformat() == "2026-03-09T11:00:00+00:00"  # Mon 12:00 local
        assert case.wall_clock_deadline.isoformat() == "2026-03-06T21:00:00+00:00"
        frozen.move_to("2026-03-07 09:00:00+00:00")  # Saturday 10:00
        assert not case.is_overdue()
        frozen.move_to("2026-03-09 10:59:00+00:00")  # Monday 11:59
        assert not case.is_overdue()
        frozen.move_to("2026-03-09 11:01:00+00:00")
        assert case.is_overdue()


@pytest.mark.req("R4.3")
def test_a_channel_watched_at_weekends_is_overdue_on_saturday(channel, capture):
    ActivityPlanVersion.objects.create(
        channel=channel,
        version=2,
        author_label="test",
        **valid_plan(watched_weekdays=[0, 1, 2, 3, 4, 5, 6]),
    )
    with freeze_time(FRIDAY_EVENING) as frozen:
        (item,) = capture(channel, "Du är en jävla idiot.")
        case = ModerationCase.objects.get(item=item)
        frozen.move_to("2026-03-07 11:30:00+00:00")  # Saturday 12:30: 08-12:30 watched
        assert case.is_overdue()


@pytest.mark.req("R4.3")
def test_decision_records_watched_and_wall_clock_time(channel, capture, moderator, client):
    with freeze_time(FRIDAY_EVENING) as frozen:
        (item,) = capture(channel, "Du är en jävla idiot.")
        case = ModerationCase.objects.get(item=item)
        frozen.move_to("2026-03-09 08:30:00+00:00")  # Monday 09:30 local
        queue = client.get("/intern/moderering/")
        (row,) = queue.context["rows"]
        assert row["waited"] == 1.5 and not row["overdue"]
        decide(moderator, case, decision="hide", reason="Personangrepp")
    case.refresh_from_db()
    assert case.watched_time_to_decision == timedelta(hours=1, minutes=30)
    assert case.time_to_decision == timedelta(days=2, hours=15, minutes=30)
    assert not case.is_overdue()
    page = client.get(f"/intern/moderering/arende/{case.pk}/").content.decode()
    assert "1,5" in page and "2 days, 15:30:00" in page


@pytest.mark.req("R4.3")
def test_compliance_check_reports_overdue_in_watched_hours_and_median(channel, capture):
    from kanalvakt.organisation.access import SystemActor

    with freeze_time(FRIDAY_EVENING) as frozen:
        first, _second = capture(channel, "Du är en jävla idiot.", "Fy fan vilken skit.")
        frozen.move_to("2026-03-09 09:00:00+00:00")  # Monday 10:00: 2 watched hours
        decide(SystemActor("test"), ModerationCase.objects.get(item=first), decision="keep")
        frozen.move_to("2026-03-07 12:00:00+00:00")  # back to Saturday: nothing overdue
        finding = _finding(channel)
        assert finding.status == "ok"
        frozen.move_to("2026-03-09 13:00:00+00:00")  # Monday 14:00: 6 watched hours
        finding = _finding(channel)
        assert finding.status == "warning"
        assert "2,0" in finding.detail or "2.0" in finding.detail


def _finding(channel):
    [report] = evaluate(channels_for_compliance(Channel.objects.filter(pk=channel.pk)))
    return next(r for r in report.results if r.key == "moderation_queue")
