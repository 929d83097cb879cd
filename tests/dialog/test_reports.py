"""Response-time figures, the report page with CSV, the compliance check (R3.1, R3.4)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from dialog.conftest import T0
from kanalvakt.compliance.checks import Status
from kanalvakt.dialog import reports
from kanalvakt.dialog.compliance import dialog_section, questions_answered
from kanalvakt.dialog.models import Question
from kanalvakt.organisation.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.req("R3.1")]
MARCH = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 31, 23, tzinfo=UTC))


def test_median_and_p90_count_watched_hours(channel, capture):
    items = capture(channel, *[f"Fråga {n}: när öppnar ni?" for n in range(10)])
    # Answered after 1..10 watched hours on the Monday–Tuesday (08–17 watch).
    for n, item in enumerate(items, start=1):
        answered = T0 + timedelta(hours=n) if n <= 7 else T0 + timedelta(days=1, hours=n - 9)
        Question.objects.filter(item=item).update(answered_at=answered)
    (fig,) = reports.figures(*MARCH)
    assert fig.questions == fig.answered == 10
    assert fig.median_hours == 5.5
    assert fig.p90_hours == 9.0  # Tuesday 09:00 UTC = 10:00 local: 7 h Monday + 2 h Tuesday
    assert fig.share_within_target == 90.0  # the tenth came an hour after its deadline


def test_report_page_and_csv(channel, capture, make_user, client):
    client.force_login(make_user(Role.AUDITOR))
    (item,) = capture(channel, "När öppnar badhuset?")
    Question.objects.filter(item=item).update(answered_at=T0 + timedelta(hours=2))
    page = client.get("/intern/dialog/rapport/?manad=2026-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'fill="url(#hatch)"' in html
    assert "100,0 %" in html  # Swedish decimal comma
    csv = client.get("/intern/dialog/rapport/?manad=2026-03&format=csv").content.decode()
    assert channel.display_name in csv and ",2.0," in csv


@pytest.mark.req("R3.1")
def test_compliance_check_flags_overdue_questions(channel, capture):
    from kanalvakt.dialog.compliance import _question_counts

    assert questions_answered(channel, _question_counts([channel])).status == Status.OK
    capture(channel, "Vem ansvarar för parken?", at=timezone.now() - timedelta(days=10))

    finding = questions_answered(channel, _question_counts([channel]))
    assert finding.status == Status.VIOLATION
    Question.objects.update(answered_at=timezone.now())
    finding = questions_answered(channel, _question_counts([channel]))
    assert finding.status == Status.WARNING  # answered, but late
    Question.objects.update(answered_at=F("deadline"))
    finding = questions_answered(channel, _question_counts([channel]))
    assert finding.status == Status.OK  # answered within the target


def test_monthly_report_section(channel, capture):
    capture(channel, "När öppnar badhuset?")
    section = dialog_section(*MARCH)
    assert section["rows"][0][0] == channel.display_name
    assert len(section["headers"]) == len(section["rows"][0])
