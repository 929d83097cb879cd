"""Activity plans: every part required, versioned, structured monitoring (R2.3, R3.2, R5.2)."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kanalvakt.organisation.roles import Role
from kanalvakt.registry import actions
from kanalvakt.registry.models import Channel
from kanalvakt.registry.reports import inactive_channels
from kanalvakt.registry.rules import validate_plan
from registry.helpers import make_channel, valid_plan

pytestmark = pytest.mark.django_db


@pytest.mark.req("R2.3")
@pytest.mark.parametrize(
    "part",
    [
        "description",
        "purpose_and_goals",
        "target_group",
        "holiday_cover",
        "watched_weekdays",
        "watch_start",
        "check_interval_hours",
        "update_interval_days",
    ],
)
def test_every_part_of_the_plan_is_required(part):
    plan = valid_plan()
    plan[part] = [] if part == "watched_weekdays" else None
    with pytest.raises(ValidationError) as error:
        validate_plan(plan)
    assert part in error.value.message_dict


@pytest.mark.req("R2.3")
def test_watch_hours_must_make_sense():
    with pytest.raises(ValidationError):
        validate_plan(valid_plan(watch_start=time(17), watch_end=time(8)))
    with pytest.raises(ValidationError):
        validate_plan(valid_plan(watched_weekdays=[7]))


@pytest.mark.req("R2.3", "R6.2")
def test_a_plan_change_is_a_new_version_with_author(make_user):
    channel = make_channel()
    owner = make_user(Role.ACCOUNT_OWNER)
    channel.responsible = owner.person
    channel.save()
    version = actions.save_plan(owner, channel, **valid_plan(update_interval_days=3))
    assert version.version == 2 and version.author == owner
    assert channel.plan_versions.count() == 2
    assert channel.current_plan().update_interval_days == 3
    assert channel.plan_versions.get(version=1).update_interval_days == 7  # history kept
    with pytest.raises(ValidationError):
        actions.save_plan(owner, channel, **valid_plan(update_interval_days=3))  # no change


@pytest.mark.req("R2.3")
def test_only_those_who_answer_for_the_account_edit_its_plan(make_user):
    from django.core.exceptions import PermissionDenied

    channel = make_channel()
    stranger = make_user(Role.ACCOUNT_OWNER)
    with pytest.raises(PermissionDenied):
        actions.save_plan(stranger, channel, **valid_plan(update_interval_days=3))
    communicator = make_user(Role.COMMUNICATOR)
    actions.save_plan(communicator, channel, **valid_plan(update_interval_days=3))


@pytest.mark.req("R3.2")
def test_a_channel_silent_longer_than_its_plan_is_inactive():
    now = timezone.now()
    fresh = make_channel(last_own_post_at=now - timedelta(days=6))
    stale = make_channel(last_own_post_at=now - timedelta(days=8))
    paused = make_channel(Channel.Status.PAUSED, last_own_post_at=now - timedelta(days=80))
    inactive = {c.pk for c in inactive_channels(now)}
    assert stale.pk in inactive
    assert fresh.pk not in inactive and paused.pk not in inactive


@pytest.mark.req("R5.2")
def test_graphic_profile_compliance_is_recorded_and_audited(make_user):
    from kanalvakt.audit.models import AuditEvent

    channel = make_channel()
    actions.update_channel(
        make_user(Role.COMMUNICATOR),
        channel,
        follows_graphic_profile=True,
        graphic_profile_note="Kommunvapnet som profilbild.",
    )
    channel.refresh_from_db()
    assert channel.follows_graphic_profile
    event = AuditEvent.objects.get(action="registry.channel.update")
    assert event.payload["after"]["follows_graphic_profile"] is True
