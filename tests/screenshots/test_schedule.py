"""When a screenshot is due (R7.7): six months after the last accepted one, at once after a
major change, and an uploaded screenshot fulfils the duty only once accepted."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from kanalvakt.core.models import ScheduledJob
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.registry.models import Channel
from kanalvakt.screenshots import actions, schedule
from kanalvakt.screenshots.capture import capture_channel, capture_due, capture_evidence
from kanalvakt.screenshots.models import Screenshot
from kanalvakt.screenshots.uploads import clean_upload
from registry.helpers import make_channel
from screenshots.conftest import FakeBrowser, tiny_png

pytestmark = pytest.mark.django_db


def take(channel, kind=Screenshot.Kind.SCHEDULED, browser=None):
    return capture_channel(channel, kind=kind, browser=browser or FakeBrowser())


@pytest.mark.req("R7.7")
def test_a_new_active_channel_is_due_at_once():
    channel = make_channel()
    duty = schedule.duty_for(channel)
    assert duty.kind == Screenshot.Kind.FIRST
    assert duty.due_at <= timezone.now()
    assert [d.channel for d in schedule.ready_to_capture()] == [channel]


@pytest.mark.req("R7.7")
def test_due_six_months_after_the_last_accepted_screenshot():
    channel = make_channel()
    with freeze_time("2025-01-31 10:00:00+00:00"):
        shot = take(channel)
    assert shot.status == Screenshot.Status.ACCEPTED
    duty = schedule.duty_for(channel)
    assert duty.kind == Screenshot.Kind.SCHEDULED
    assert duty.due_at == shot.taken_at.replace(month=7, day=31)
    with freeze_time("2025-07-30 10:00:00+00:00"):
        assert schedule.ready_to_capture() == []
        assert duty.state() == schedule.DUE_SOON
    with freeze_time("2025-07-31 10:00:01+00:00"):
        assert [d.channel for d in schedule.ready_to_capture()] == [channel]


@pytest.mark.req("R7.7")
def test_the_interval_is_configurable(settings):
    settings.SCREENSHOT_INTERVAL_MONTHS = 3
    channel = make_channel()
    with freeze_time("2025-08-31 10:00:00+00:00"):
        take(channel)
    assert schedule.duty_for(channel).due_at.date().isoformat() == "2025-11-30"


@pytest.mark.req("R7.7")
def test_a_major_change_makes_a_screenshot_due_at_once():
    channel = make_channel()
    with freeze_time("2025-03-01 10:00:00+00:00"):
        take(channel)
    with freeze_time("2025-04-10 09:00:00+00:00"):
        assert schedule.ready_to_capture() == []
        actions.mark_major_change(channel, "profile picture", "new logo")
        duty = schedule.duty_for(channel)
        assert duty.kind == Screenshot.Kind.CHANGE
        assert duty.due_at == timezone.now()
        assert [c.what for c in duty.changes] == ["profile picture"]
        summary = capture_due(browser=FakeBrowser())
    assert summary.captured == 1
    latest = channel.screenshots.first()
    assert latest.kind == Screenshot.Kind.CHANGE
    # The change is fulfilled: next due six months after the new screenshot.
    assert schedule.duty_for(channel).kind == Screenshot.Kind.SCHEDULED
    assert schedule.duty_for(channel).due_at.date().isoformat() == "2025-10-10"


@pytest.mark.req("R7.7")
def test_an_uploaded_screenshot_fulfils_the_duty_only_once_accepted(make_user):
    owner = make_user(Role.ACCOUNT_OWNER)
    communicator = make_user(Role.COMMUNICATOR)
    channel = make_channel(responsible=owner.person)
    clean = clean_upload(SimpleUploadedFile("s.png", tiny_png()))
    shot = actions.upload_screenshot(owner, channel, clean, kind=Screenshot.Kind.FIRST)
    assert shot.status == Screenshot.Status.PENDING
    duty = schedule.duty_for(channel)
    assert duty.kind == Screenshot.Kind.FIRST and duty.pending_review
    assert schedule.ready_to_capture() == []  # no automatic capture while one awaits review
    actions.review_screenshot(communicator, shot, accept=True)
    duty = schedule.duty_for(channel)
    assert duty.kind == Screenshot.Kind.SCHEDULED
    assert duty.last_accepted_at == shot.taken_at


@pytest.mark.req("R7.7")
def test_a_rejected_upload_leaves_the_screenshot_due(make_user):
    owner = make_user(Role.ACCOUNT_OWNER)
    channel = make_channel(responsible=owner.person)
    shot = actions.upload_screenshot(
        owner, channel, clean_upload(SimpleUploadedFile("s.png", tiny_png())), kind="first"
    )
    actions.review_screenshot(make_user(Role.CENTRAL_OFFICE), shot, accept=False, note="Fel konto.")
    duty = schedule.duty_for(channel)
    assert duty.kind == Screenshot.Kind.FIRST and not duty.pending_review


def test_evidence_screenshots_do_not_count_for_the_duty():
    channel = make_channel()
    shot = capture_evidence(
        channel.url + "p/1",
        "Hot mot person",
        channel=channel,
        item_ref="ig:1",
        browser=FakeBrowser(),
    )
    assert shot.kind == Screenshot.Kind.EVIDENCE and shot.status == Screenshot.Status.ACCEPTED
    assert shot.item_ref == "ig:1" and len(shot.image.sha256) == 64
    assert schedule.duty_for(channel).kind == Screenshot.Kind.FIRST


def test_closed_and_requested_channels_have_no_duty():
    closed = make_channel(Channel.Status.CLOSED)
    requested = make_channel(Channel.Status.REQUESTED)
    paused = make_channel(Channel.Status.PAUSED)
    assert schedule.duty_for(closed) is None and schedule.duty_for(requested) is None
    assert [d.channel for d in schedule.duties()] == [paused]


def test_a_failed_capture_is_retried_only_after_the_retry_interval(settings):
    settings.SCREENSHOT_RETRY_HOURS = 24
    channel = make_channel()
    shot = take(channel, kind="first", browser=FakeBrowser("login_wall", "login wall"))
    assert shot.status == Screenshot.Status.FAILED and shot.failure == "login_wall"
    assert not shot.files.exists()
    assert schedule.ready_to_capture() == []
    later = timezone.now() + timedelta(hours=25)
    assert [d.channel for d in schedule.ready_to_capture(later)] == [channel]


def test_the_worker_runs_capture_and_reminders_as_scheduled_jobs():
    names = set(ScheduledJob.objects.values_list("name", flat=True))
    assert {"screenshots-capture-due", "screenshots-reminders"} <= names


def test_one_browser_serves_a_whole_run():
    channels = [make_channel() for _ in range(3)]
    browser = FakeBrowser()
    summary = capture_due(browser=browser)
    assert summary.captured == 3
    assert sorted(browser.urls) == sorted(c.url for c in channels)


def test_screenshot_records_do_not_change_and_are_not_deleted():
    from django.core.exceptions import ValidationError

    shot = take(make_channel())
    shot.url = "https://example.org/other"
    with pytest.raises(ValidationError):
        shot.save()
    with pytest.raises(ValidationError):
        Screenshot.objects.get(pk=shot.pk).delete()
    with pytest.raises(ValidationError):
        shot.image.delete()


def test_every_capture_is_audited():
    from kanalvakt.audit.models import AuditEvent

    channel = make_channel()
    shot = take(channel)
    event = AuditEvent.objects.filter(action="screenshots.capture").get()
    assert event.payload["sha256"]["image"] == shot.image.sha256
    actions.note_major_change(SystemActor("capture"), channel, what="bio")
    assert AuditEvent.objects.filter(action="screenshots.major_change").count() == 1
