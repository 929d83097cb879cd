import pytest
from django.contrib.auth.models import Group

from kanalvakt.organisation import access
from kanalvakt.organisation.roles import ALL, OWN, ROLE_PERMISSIONS, Role, sync_role_permissions

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_exactly_its_permissions():
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(perms), role


def test_every_listed_permission_exists():
    assert sync_role_permissions() == set()


def test_auditor_reads_but_changes_nothing():
    for permission in ROLE_PERMISSIONS[Role.AUDITOR]:
        assert permission.split(".")[1].startswith(("view_", "access_")), permission


class Owned:
    def __init__(self, *person_ids):
        self.ids = set(person_ids)

    def answerable_person_ids(self):
        return self.ids


def test_own_scope_allows_only_objects_the_person_answers_for(make_user, monkeypatch):
    owner = make_user(Role.ACCOUNT_OWNER)
    monkeypatch.setitem(ROLE_PERMISSIONS[Role.ACCOUNT_OWNER], "test.change_thing", OWN)
    monkeypatch.setitem(ROLE_PERMISSIONS[Role.COMMUNICATOR], "test.change_thing", ALL)
    assert access.can(owner, "test.change_thing", Owned(owner.person.pk))
    assert not access.can(owner, "test.change_thing", Owned(owner.person.pk + 1000))
    assert not access.can(owner, "test.change_thing")  # no object: no ownership to check
    assert access.holds(owner, "test.change_thing")
    communicator = make_user(Role.COMMUNICATOR)
    assert access.can(communicator, "test.change_thing", Owned())


def test_inactive_and_anonymous_users_may_nothing(make_user):
    from django.contrib.auth.models import AnonymousUser

    user = make_user(Role.CENTRAL_OFFICE)
    user.is_active = False
    assert not access.can(user, "organisation.change_person")
    assert not access.can(AnonymousUser(), "organisation.change_person")
    assert access.can(AnonymousUser(), None)  # public actions


def test_elected_official_change_is_signalled(central_office_user):
    from factories import PersonFactory
    from kanalvakt.organisation import actions

    person = PersonFactory()
    received = []
    actions.person_status_changed.connect(
        lambda **kw: received.append(kw["changed"]), weak=False, dispatch_uid="test-signal"
    )
    try:
        actions.update_person(central_office_user, person, is_elected_official=True)
        actions.update_person(central_office_user, person, title="Ny titel")
    finally:
        actions.person_status_changed.disconnect(dispatch_uid="test-signal")
    assert received == [{"is_elected_official"}]
