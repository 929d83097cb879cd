"""The monthly report: sent once on the first weekday, a readable Swedish PDF."""

from datetime import date

import pytest
from django.core import mail

from kanalvakt.compliance.models import MonthlySnapshot
from kanalvakt.compliance.report import build_report, first_weekday, send_monthly_report
from kanalvakt.demo import load_demo_data
from pdf_text import pdf_text

pytestmark = pytest.mark.django_db


def test_first_weekday_skips_weekends_and_holidays():
    assert first_weekday(date(2026, 11, 1)) == date(2026, 11, 2)  # Sunday → Monday
    assert first_weekday(date(2027, 1, 1)) == date(2027, 1, 4)  # New Year, then weekend
    assert first_weekday(date(2026, 12, 1)) == date(2026, 12, 1)


@pytest.mark.req("R2.4", "R6.2")
def test_report_lists_the_problems(tmp_path):
    load_demo_data()
    pdf, snapshot = build_report(date(2026, 11, 1))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, layout=True)
    assert "Hemtjänsten i Osby" in text and "förtroendevald" in text
    assert len(snapshot) >= 10


def test_sent_once_on_the_first_weekday_to_the_central_office():
    load_demo_data()
    assert not send_monthly_report(date(2026, 12, 2))  # not the first weekday
    assert send_monthly_report(date(2026, 12, 1))
    assert not send_monthly_report(date(2026, 12, 1))  # already sent
    [message] = mail.outbox
    assert message.to == ["karin.lindqvist@osby.se"]
    assert message.attachments[0][0] == "efterlevnad-2026-11.pdf"
    assert MonthlySnapshot.objects.get(month=date(2026, 11, 1)).sent_at


def test_changes_since_last_month_are_listed(tmp_path):
    from kanalvakt.registry.models import Channel

    load_demo_data()
    send_monthly_report(date(2026, 12, 1))
    Channel.objects.filter(handle="raddningstjanstenosby").update(website_linked=True)
    pdf, _ = build_report(date(2026, 12, 1))
    text = pdf_text(pdf, layout=True)
    assert "Räddningstjänsten Osby" in text and "violation → ok" in text
