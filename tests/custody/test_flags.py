"""R6.2's orphan and staleness flags, the activation check and the weekly digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from custody.conftest import planted
from kanalvakt.core.dates import add_months
from kanalvakt.core.models import ScheduledJob
from kanalvakt.custody.actions import deposit_credentials
from kanalvakt.custody.flags import FlagKind, custody_flags, flagged_channels
from kanalvakt.custody.tasks import send_flag_digest
from kanalvakt.organisation import actions as org_actions
from kanalvakt.registry import actions as registry_actions
from kanalvakt.registry.models import Channel
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R6.2")]


def kinds(channel):
    return {f.kind for f in custody_flags(channel)}


def test_channel_without_deposit_is_flagged(channel):
    assert kinds(channel) == {FlagKind.NO_DEPOSIT}
    assert [c for c, _f in flagged_channels()] == [channel]


def test_fresh_deposit_clears_every_flag(deposited):
    assert kinds(deposited) == set()
    assert flagged_channels() == []


def test_deposit_older_than_twelve_months_is_stale(owner, channel, settings):
    with freeze_time("2025-01-15 10:00"):
        deposit_credentials(owner, channel, **planted())
    Channel.objects.filter(pk=channel.pk).update(
        responsible_since=timezone.now() - timedelta(days=800)
    )
    channel.refresh_from_db()
    with freeze_time("2026-01-14 10:00"):
        assert kinds(channel) == set()
    with freeze_time("2026-01-16 10:00"):
        assert kinds(channel) == {FlagKind.STALE}
    settings.CUSTODY_MAX_AGE_MONTHS = 24
    with freeze_time("2026-01-16 10:00"):
        assert kinds(channel) == set()


def test_months_before_clamps_the_day():
    moment = timezone.now().replace(year=2026, month=3, day=31)
    assert add_months(moment, -1).date().isoformat() == "2026-02-28"
    assert add_months(moment, -12).date().isoformat() == "2025-03-31"
    assert add_months(moment, -15).date().isoformat() == "2024-12-31"


def test_deposit_before_change_of_responsible_is_flagged(deposited, custodian, make_user):
    from kanalvakt.organisation.roles import Role

    successor = make_user(Role.ACCOUNT_OWNER).person
    registry_actions.change_responsibility(
        custodian, deposited, responsible=successor, deputies=list(deposited.deputies.all())
    )
    deposited.refresh_from_db()
    assert kinds(deposited) == {FlagKind.BEFORE_RESPONSIBLE_CHANGE}
    deposit_credentials(successor.user, deposited, login="ny@osby.se", password="nytt-pw-1")
    assert kinds(deposited) == set()


def test_responsible_who_left_is_flagged(deposited, owner, custodian):
    org_actions.update_person(
        custodian, owner.person, employment_end=timezone.localdate() - timedelta(days=1)
    )
    deposited.refresh_from_db()
    assert FlagKind.RESPONSIBLE_LEFT in kinds(deposited)


def test_responsible_who_became_elected_is_flagged(deposited, owner, custodian):
    org_actions.update_person(custodian, owner.person, is_elected_official=True)
    deposited.refresh_from_db()
    assert FlagKind.RESPONSIBLE_ELECTED in kinds(deposited)


def test_activation_is_refused_without_deposit_and_allowed_with(owner, custodian):
    channel = make_channel(Channel.Status.APPROVED, responsible=owner.person)
    with pytest.raises(registry_actions.ActivationRefused) as refused:
        registry_actions.activate_channel(custodian, channel)
    assert [b.key for b in refused.value.blockers] == ["credentials"]
    assert refused.value.blockers[0].clause == "R6.2"
    deposit_credentials(owner, channel, **planted())
    registry_actions.activate_channel(custodian, channel)
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ACTIVE


def test_weekly_digest_mails_the_custodians(
    deposited, custodian, make_user, owner, django_capture_on_commit_callbacks
):
    from kanalvakt.organisation.roles import Role

    orphan = make_channel(responsible=owner.person)  # no deposit
    make_user(Role.COMMUNICATOR)  # not a custodian: gets nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert send_flag_digest.call() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [custodian.person.email]
    assert orphan.display_name in message.body and deposited.display_name not in message.body
    assert "1" in message.subject


def test_digest_is_silent_when_nothing_is_flagged(
    deposited, custodian, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_flag_digest.call() == 0
    assert mail.outbox == []


def test_digest_is_scheduled_weekly():
    job = ScheduledJob.objects.get(name="custody-flag-digest")
    assert job.task_path == "kanalvakt.custody.tasks.send_flag_digest"
    assert job.interval_seconds == 7 * 24 * 3600


def test_flags_template_tag_renders_for_the_channel_page(channel):
    from django.template import Context, Template

    html = Template("{% load custody %}{% custody_flags channel %}").render(
        Context({"channel": channel})
    )
    assert "R6.2" in html
