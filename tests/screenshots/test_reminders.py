"""Reminders received by a real SMTP server on 127.0.0.1: two weeks before due and when
overdue to the responsible person, then to the deputies and communicators; an upload
request when automation failed. Each once."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import timezone
from freezegun import freeze_time

from kanalvakt.organisation.roles import Role
from kanalvakt.screenshots import schedule
from kanalvakt.screenshots.capture import capture_channel
from kanalvakt.screenshots.reminders import send_due_reminders
from kanalvakt.screenshots.tasks import send_reminders
from registry.helpers import make_channel
from screenshots.conftest import FakeBrowser

pytestmark = pytest.mark.django_db(transaction=True)


def recipients(received):
    return sorted(m["To"] for m in received)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def subjects(received):
    return [subject(m) for m in received]


@pytest.fixture
def channel_and_people(make_user):
    communicator = make_user(Role.COMMUNICATOR)
    channel = make_channel(display_name="Osby bibliotek")
    with freeze_time("2025-01-15 09:00:00+00:00"):
        capture_channel(channel, kind="first", browser=FakeBrowser())
    deputy = channel.deputies.get()
    return channel, channel.responsible, deputy, communicator.person


@pytest.mark.req("R7.7")
def test_the_responsible_is_reminded_two_weeks_before_and_when_overdue_then_deputy_and_communicator(
    smtp_server, channel_and_people, settings
):
    settings.SCREENSHOT_GRACE_DAYS = 7
    settings.SCREENSHOT_ESCALATE_DAYS = 7
    channel, responsible, deputy, communicator = channel_and_people
    due = schedule.duty_for(channel).due_at
    assert due.date().isoformat() == "2025-07-15"

    with freeze_time(due - timedelta(days=20)):
        assert send_due_reminders()["before_due"] == 0
    assert smtp_server == []

    with freeze_time(due - timedelta(days=14)):
        assert send_due_reminders()["before_due"] == 1
        assert send_due_reminders()["before_due"] == 0  # once only
    assert recipients(smtp_server) == [responsible.email]
    assert "Osby bibliotek" in subjects(smtp_server)[0]
    body = smtp_server[0].get_payload(decode=True).decode()
    assert "2025-07-15" in body and f"/intern/skarmdumpar/kanal/{channel.pk}/" in body
    smtp_server.clear()

    with freeze_time(due + timedelta(days=7, hours=1)):
        sent = send_reminders.enqueue().return_value  # as the worker runs it
    assert sent["overdue"] == 1 and sent["escalated"] == 0
    assert recipients(smtp_server) == [responsible.email]
    assert "försenad" in subjects(smtp_server)[0]
    smtp_server.clear()

    with freeze_time(due + timedelta(days=14, hours=1)):
        assert send_due_reminders()["escalated"] == 1
        assert send_due_reminders()["escalated"] == 0
    assert recipients(smtp_server) == sorted([responsible.email, deputy.email, communicator.email])
    assert set(subjects(smtp_server)) == {f"Fortfarande ingen skärmdump av {channel}"}


@pytest.mark.req("R7.7")
def test_a_failed_capture_asks_the_responsible_to_upload_once(smtp_server, make_user):
    channel = make_channel(display_name="Osby fritid")
    blocked = FakeBrowser("login_wall", "login wall or captcha (form#loginForm)")
    capture_channel(channel, kind="first", browser=blocked)
    capture_channel(channel, kind="first", browser=blocked)  # the retry a day later
    assert recipients(smtp_server) == [channel.responsible.email]
    message = smtp_server[0]
    assert subject(message) == f"Ladda upp en skärmdump av {channel}"
    body = message.get_payload(decode=True).decode()
    assert "login wall" in body and "ladda upp" in body.lower()


def test_a_reminder_is_not_sent_while_an_upload_waits_for_review(smtp_server, make_user, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kanalvakt.screenshots import actions
    from kanalvakt.screenshots.uploads import clean_upload
    from screenshots.conftest import tiny_png

    owner = make_user(Role.ACCOUNT_OWNER)
    reviewer = make_user(Role.CENTRAL_OFFICE)
    channel = make_channel(responsible=owner.person)
    actions.upload_screenshot(
        owner, channel, clean_upload(SimpleUploadedFile("a.png", tiny_png())), kind="first"
    )
    assert recipients(smtp_server) == [reviewer.email]  # the reviewers are told at once
    smtp_server.clear()
    with freeze_time(timezone.now() + timedelta(days=30)):
        assert sum(send_due_reminders().values()) == 0
    assert smtp_server == []
