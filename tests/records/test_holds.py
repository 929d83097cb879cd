"""Legal hold (R7.1): placing, releasing, who may, and what a hold covers."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kanalvakt.audit.models import AuditEvent
from kanalvakt.organisation.roles import Role
from kanalvakt.records.holds import held_item_ids, holds_for_item, place_hold, release_hold
from records.retention_helpers import thread
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R7.1")]


@pytest.fixture
def channel():
    return make_channel(platform="facebook", handle="osby.holds")


def test_hold_on_explicit_items_covers_exactly_them_until_released(channel, make_user):
    post, comments = thread(channel)
    archivist = make_user(Role.ARCHIVIST)
    hold = place_hold(
        archivist,
        reason="Begäran om allmän handling",
        reference="KS 2026/12",
        item_ids=[comments[0].pk],
    )
    assert held_item_ids() == {comments[0].pk}
    assert held_item_ids([post.pk, comments[1].pk]) == set()
    assert held_item_ids([]) == set()
    assert holds_for_item(comments[0]) == [hold]
    assert holds_for_item(post) == []
    assert AuditEvent.objects.filter(action="records.hold.place", object_id=str(hold.pk)).exists()
    release_hold(archivist, hold, reason="Begäran avgjord")
    assert held_item_ids() == set()
    assert AuditEvent.objects.filter(action="records.hold.release").exists()
    with pytest.raises(ValidationError):
        release_hold(archivist, hold, reason="igen")


def test_hold_on_channel_and_date_range(channel, make_user):
    old_post, old_comments = thread(channel, at=datetime(2023, 1, 10, tzinfo=UTC))
    new_post, _ = thread(channel, comments=0, at=datetime(2024, 6, 1, tzinfo=UTC))
    other = make_channel(platform="facebook", handle="osby.other")
    other_post, _ = thread(other, comments=0, at=datetime(2023, 1, 10, tzinfo=UTC))
    registrar = make_user(Role.REGISTRAR)
    hold = place_hold(
        registrar,
        reason="Överklagande",
        reference="KS 2026/13",
        channel=channel,
        start=datetime(2023, 1, 1, tzinfo=UTC),
        end=datetime(2023, 12, 31, tzinfo=UTC),
    )
    assert held_item_ids() == {old_post.pk, *[c.pk for c in old_comments]}
    assert holds_for_item(new_post) == [] and holds_for_item(other_post) == []
    assert holds_for_item(old_post) == [hold]
    place_hold(registrar, reason="Hela kontot", reference="KS 2026/14", channel=other)
    assert other_post.pk in held_item_ids()


def test_bad_input_is_refused_and_nothing_is_written(channel, make_user):
    archivist = make_user(Role.ARCHIVIST)
    with pytest.raises(ValidationError) as error:
        place_hold(archivist, reason=" ", reference="", item_ids=[])
    assert {"reason", "reference", "channel"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        place_hold(archivist, reason="x", reference="y", item_ids=[999999])
    assert "item_ids" in error.value.message_dict
    with pytest.raises(ValidationError):
        place_hold(
            archivist,
            reason="x",
            reference="y",
            channel=channel,
            start=datetime(2024, 1, 1, tzinfo=UTC),
            end=datetime(2023, 1, 1, tzinfo=UTC),
        )
    assert held_item_ids() == set()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COMMUNICATOR, Role.ACCOUNT_OWNER])
def test_only_archivist_and_registrar_place_holds(channel, make_user, role):
    post, _ = thread(channel, comments=0)
    with pytest.raises(PermissionDenied):
        place_hold(make_user(role), reason="x", reference="y", item_ids=[post.pk])
    assert held_item_ids() == set()
