"""Each compliance check goes from ok to its failure and back, marked with its clause."""

import json
import subprocess
import sys
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import PersonFactory
from kanalvakt.compliance.evaluate import as_json, channels_for_compliance, evaluate
from kanalvakt.custody.models import Deposit
from kanalvakt.registry.models import Channel
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db


def status_of(channel, key):
    [report] = evaluate(channels_for_compliance(Channel.objects.filter(pk=channel.pk)))
    return next(r.status for r in report.results if r.key == key)


def accepted_screenshot(channel, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.screenshots.actions import review_screenshot, upload_screenshot
    from kanalvakt.screenshots.demo import _picture
    from kanalvakt.screenshots.models import Screenshot
    from kanalvakt.screenshots.uploads import clean_upload

    upload = SimpleUploadedFile("s.png", _picture(channel), "image/png")
    shot = upload_screenshot(
        SystemActor("test"), channel, clean_upload(upload), kind=Screenshot.Kind.FIRST
    )
    return review_screenshot(reviewer, shot, accept=True)


@pytest.fixture
def reviewer(make_user):
    from kanalvakt.organisation.roles import Role

    return make_user(Role.COMMUNICATOR)


@pytest.fixture
def channel(custody_deposit, reviewer):
    channel = make_channel(follows_graphic_profile=True, last_own_post_at=timezone.now())
    accepted_screenshot(channel, reviewer)
    Channel.objects.filter(pk=channel.pk).update(
        website_linked=True, website_link_found_on="https://www.osby.se/"
    )
    channel.refresh_from_db()
    custody_deposit(channel)
    return channel


@pytest.fixture
def custody_deposit():
    from kanalvakt.custody.actions import deposit_credentials
    from kanalvakt.organisation.access import SystemActor

    def deposit(channel):
        return deposit_credentials(
            SystemActor("test"),
            channel,
            login="osby",
            password="pw-1",
            second_factor_holder="Tjänstetelefon",
        )

    return deposit


def test_a_well_kept_channel_is_all_ok(channel):
    [report] = evaluate(channels_for_compliance(Channel.objects.filter(pk=channel.pk)))
    assert {r.status for r in report.results} <= {"ok", "not_applicable"}
    assert sum(r.status == "ok" for r in report.results) >= 10


@pytest.mark.req("R2.1")
def test_approval(channel):
    approvals = list(channel.approvals.all())
    channel.approvals.all().delete()
    assert status_of(channel, "approved") == "violation"
    approvals[0].pk = None
    approvals[0].save()
    assert status_of(channel, "approved") == "ok"


@pytest.mark.req("R2.2")
def test_consultation(channel):
    consultations = list(channel.consultations.all())
    channel.consultations.all().delete()
    assert status_of(channel, "consulted") == "violation"
    consultations[0].pk = None
    consultations[0].save()
    assert status_of(channel, "consulted") == "ok"


@pytest.mark.req("R2.3")
def test_plan_complete_and_current(channel):
    plan = channel.current_plan()
    plan.holiday_cover = ""
    plan.save()
    assert status_of(channel, "plan") == "violation"
    plan.holiday_cover = "Kommunikationsenheten"
    plan.created_at = timezone.now() - timedelta(days=400)
    plan.save()
    assert status_of(channel, "plan") == "warning"
    plan.created_at = timezone.now()
    plan.save()
    assert status_of(channel, "plan") == "ok"


@pytest.mark.req("R2.4")
def test_no_elected_official(channel):
    deputy = channel.deputies.first()
    deputy.is_elected_official = True
    deputy.save()
    assert status_of(channel, "no_elected_official") == "violation"
    channel.deputies.set([PersonFactory()])
    assert status_of(channel, "no_elected_official") == "ok"


@pytest.mark.req("R6.2")
def test_custody_deposit_and_people(channel, custody_deposit):
    Deposit.objects.filter(channel=channel).delete()
    assert status_of(channel, "custody") == "violation"
    custody_deposit(channel)
    assert status_of(channel, "custody") == "ok"
    Deposit.objects.filter(channel=channel).update(
        deposited_at=timezone.now() - timedelta(days=400)
    )
    assert status_of(channel, "custody") == "warning"
    custody_deposit(channel)
    responsible = channel.responsible
    responsible.employment_end = timezone.localdate() - timedelta(days=1)
    responsible.save()
    assert status_of(channel, "custody") == "violation"
    responsible.employment_end = None
    responsible.save()
    assert status_of(channel, "custody") == "ok"


@pytest.mark.req("R6.1")
def test_website_link(channel):
    Channel.objects.filter(pk=channel.pk).update(website_linked=False)
    assert status_of(channel, "website_link") == "violation"
    Channel.objects.filter(pk=channel.pk).update(website_linked=True)
    assert status_of(channel, "website_link") == "ok"


@pytest.mark.req("R3.2")
def test_activity(channel):
    Channel.objects.filter(pk=channel.pk).update(
        last_own_post_at=timezone.now() - timedelta(days=30)
    )
    assert status_of(channel, "active") == "warning"
    Channel.objects.filter(pk=channel.pk).update(last_own_post_at=timezone.now())
    assert status_of(channel, "active") == "ok"


@pytest.mark.req("R5.2")
def test_graphic_profile(channel):
    Channel.objects.filter(pk=channel.pk).update(follows_graphic_profile=False)
    assert status_of(channel, "graphic_profile") == "warning"
    Channel.objects.filter(pk=channel.pk).update(follows_graphic_profile=True)
    assert status_of(channel, "graphic_profile") == "ok"


def test_closed_channels_are_not_applicable():
    closed = make_channel(Channel.Status.CLOSED)
    [report] = evaluate(channels_for_compliance(Channel.objects.filter(pk=closed.pk)))
    assert {r.status for r in report.results} == {"not_applicable"}


def test_evaluation_is_bulk(channel):
    # The number of queries depends on the checks, never on the number of channels.
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            evaluate(channels_for_compliance())
        return len(captured)

    one_channel = queries()
    for _ in range(15):
        make_channel()
    assert queries() == one_channel


def test_json_shape(channel):
    data = as_json(evaluate(channels_for_compliance()))
    assert set(data) == {"channels", "summary"}
    assert set(data["summary"]) == {"ok", "warning", "violation"}
    check = data["channels"][0]["checks"][0]
    assert {"clause", "status", "detail"} <= set(check)


def test_cli_exit_status_follows_violations(tmp_path):
    import os

    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env["KANALVAKT_VAR_DIR"] = str(tmp_path)
    run = [sys.executable, "-m", "kanalvakt.cli"]
    assert subprocess.run([*run, "demo"], env=env, capture_output=True).returncode == 0
    result = subprocess.run([*run, "compliance", "--json"], env=env, capture_output=True, text=True)
    data = json.loads(result.stdout)
    assert result.returncode == (1 if data["summary"]["violation"] else 0)
    assert data["summary"]["violation"] >= 1  # the demo's elected deputy
    one = subprocess.run(
        [*run, "compliance", "--json", "--channel", str(data["channels"][0]["id"])],
        env=env,
        capture_output=True,
        text=True,
    )
    assert len(json.loads(one.stdout)["channels"]) == 1


@pytest.mark.req("R7.7")
def test_screenshot_duty(channel, reviewer):
    from freezegun import freeze_time

    assert status_of(channel, "screenshot") == "ok"
    with freeze_time(timezone.now() + timedelta(days=200)):
        assert status_of(channel, "screenshot") == "violation"
        accepted_screenshot(channel, reviewer)
        assert status_of(channel, "screenshot") == "ok"


@pytest.mark.req("R4.1", "R7.6")
def test_moderation_queue_and_confidential(channel):
    from datetime import datetime

    from freezegun import freeze_time

    from kanalvakt.archive.ingest import ingest
    from kanalvakt.capture.types import CapturedItem
    from kanalvakt.moderation.models import ModerationCase

    assert status_of(channel, "confidential") == "ok"
    item = CapturedItem(
        platform=channel.platform.key,
        external_id="c-1",
        kind="comment",
        parent_external_id=None,
        root_external_id=None,
        author_external_id="u1",
        author_display_name="Kim",
        author_is_owner=False,
        text="Min granne Anna Berg 18900101-9802 får ekonomiskt bistånd.",
        created_at=datetime.now(UTC),
        raw={"id": "c-1"},
    )
    ingest(channel, [item], source="test")
    assert ModerationCase.objects.filter(item__channel=channel).exists()
    assert status_of(channel, "confidential") == "warning"
    # The moderation target counts watched hours: a week is past it whatever the weekday.
    with freeze_time(timezone.now() + timedelta(days=7)):
        assert status_of(channel, "confidential") == "violation"
        assert status_of(channel, "moderation_queue") == "warning"
    ModerationCase.objects.filter(item__channel=channel).update(state="decided")
    assert status_of(channel, "confidential") == "ok"


@pytest.mark.req("R7.2")
def test_platform_connection(channel):
    from kanalvakt.capture.actions import configure_connection
    from kanalvakt.capture.models import ChannelConnection
    from kanalvakt.organisation.access import SystemActor

    assert status_of(channel, "connection") == "not_applicable"  # archived by import only
    configure_connection(
        SystemActor("test"), channel, connector="facebook", account_id="1", options={}
    )
    ChannelConnection.objects.filter(channel=channel).update(last_success_at=timezone.now())
    assert status_of(channel, "connection") == "ok"
    ChannelConnection.objects.filter(channel=channel).update(
        state="broken", broken_since=timezone.now(), last_error="Token expired (code 190)"
    )
    assert status_of(channel, "connection") == "violation"
    ChannelConnection.objects.filter(channel=channel).update(state="ok")
    assert status_of(channel, "connection") == "ok"
