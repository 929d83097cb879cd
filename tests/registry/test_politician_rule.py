"""An elected official never answers for a municipal account (R2.4)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from factories import PersonFactory
from kanalvakt.organisation import actions as org_actions
from kanalvakt.organisation.roles import Role
from kanalvakt.registry import actions
from kanalvakt.registry.models import Channel, ChannelFlag, Platform, Purpose
from registry.helpers import make_channel, valid_plan

pytestmark = [pytest.mark.django_db, pytest.mark.req("R2.4")]


@pytest.fixture
def owner(make_user):
    user = make_user(Role.ACCOUNT_OWNER)
    user.person.manager = PersonFactory()
    user.person.save()
    return user


def request(owner, responsible, deputies):
    return actions.request_channel(
        owner,
        platform=Platform.objects.get(key="facebook"),
        handle="osbykommun",
        display_name="Osby kommun",
        org_unit=owner.person.org_unit,
        responsible=responsible,
        deputies=deputies,
        purposes=[Purpose.COMMUNICATE],
        plan=valid_plan(),
    )


def test_refused_as_responsible_on_request(owner):
    politician = PersonFactory(is_elected_official=True, name="Bengt Olsson")
    with pytest.raises(ValidationError, match="Bengt Olsson"):
        request(owner, politician, [PersonFactory()])


def test_refused_as_deputy_on_request(owner):
    with pytest.raises(ValidationError):
        request(owner, owner.person, [PersonFactory(is_elected_official=True)])


def test_refused_on_approval_if_someone_became_elected_meanwhile(owner, make_user):
    deputy = PersonFactory()
    channel = request(owner, owner.person, [deputy])
    deputy.is_elected_official = True  # changed outside the action, e.g. by an import
    deputy.save()
    manager = make_user(Role.MANAGER)
    owner.person.manager = manager.person
    owner.person.save()
    with pytest.raises(ValidationError):
        actions.decide_request(manager, channel, approve=True)
    assert Channel.objects.get(pk=channel.pk).status == Channel.Status.REQUESTED


def test_refused_on_activation(make_user):
    channel = make_channel(Channel.Status.APPROVED)
    channel.responsible.is_elected_official = True
    channel.responsible.save()
    with pytest.raises(actions.ActivationRefused) as refused:
        actions.activate_channel(make_user(Role.CENTRAL_OFFICE), channel)
    assert "people" in [b.key for b in refused.value.blockers]


def test_refused_on_change_of_responsibility(make_user):
    channel = make_channel()
    with pytest.raises(ValidationError):
        actions.change_responsibility(
            make_user(Role.CENTRAL_OFFICE),
            channel,
            responsible=PersonFactory(is_elected_official=True),
            deputies=list(channel.deputies.all()),
        )
    assert not channel.responsible.is_elected_official


@pytest.mark.django_db(transaction=True)  # mail is sent on commit
def test_becoming_elected_flags_every_channel_at_once_and_tells_the_office(make_user):
    office = make_user(Role.CENTRAL_OFFICE)
    deputy = PersonFactory(name="Kim Deputy")
    first = make_channel(deputies=[deputy])
    second = make_channel(responsible=deputy)
    closed = make_channel(Channel.Status.CLOSED, deputies=[deputy])
    untouched = make_channel()
    mail.outbox.clear()
    org_actions.update_person(office, deputy, is_elected_official=True)
    flagged = set(
        ChannelFlag.objects.filter(
            kind=ChannelFlag.Kind.ELECTED_OFFICIAL, resolved_at__isnull=True
        ).values_list("channel_id", flat=True)
    )
    assert flagged == {first.pk, second.pk}
    assert closed.pk not in flagged and untouched.pk not in flagged
    assert [m.to for m in mail.outbox] == [[office.person.email]]
    assert "Kim Deputy" in mail.outbox[0].body

    # Replacing the deputy resolves the flag.
    actions.change_responsibility(
        office, first, responsible=first.responsible, deputies=[PersonFactory()]
    )
    assert not first.flags.filter(resolved_at__isnull=True).exists()
