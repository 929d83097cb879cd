import pytest
from django.core.exceptions import PermissionDenied

from kanalvakt.audit.models import AuditEvent
from kanalvakt.core.actions import action
from kanalvakt.organisation.models import OrgUnit
from kanalvakt.organisation.roles import Role

pytestmark = pytest.mark.django_db


@action("test.unit.rename", permission="organisation.change_orgunit", target="unit")
def rename(ctx, unit, *, name, fail=False):
    unit.name = name
    unit.save()
    ctx.audit(unit, {"name": name})
    if fail:
        raise ValueError("boom")
    return unit


@action("test.unit.silent", permission="organisation.change_orgunit")
def silent(ctx, unit):
    unit.name = "changed without audit"
    unit.save()


@pytest.fixture
def unit():
    return OrgUnit.objects.create(name="Kultur och fritid", kind=OrgUnit.Kind.ADMINISTRATION)


def test_action_changes_and_audits_together(central_office_user, unit):
    rename(central_office_user, unit, name="Kultur")
    event = AuditEvent.objects.get(action="test.unit.rename")
    assert event.object_label == "Kultur" and event.payload == {"name": "Kultur"}
    assert central_office_user.username in event.actor_label


def test_failed_action_leaves_neither_change_nor_audit(central_office_user, unit):
    with pytest.raises(ValueError):
        rename(central_office_user, unit, name="Kultur", fail=True)
    unit.refresh_from_db()
    assert unit.name == "Kultur och fritid"
    assert not AuditEvent.objects.filter(action="test.unit.rename").exists()


def test_permission_refused_is_audited_and_changes_nothing(make_user, unit):
    owner = make_user(Role.ACCOUNT_OWNER)
    with pytest.raises(PermissionDenied):
        rename(owner, unit, name="Kultur")
    unit.refresh_from_db()
    assert unit.name == "Kultur och fritid"
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.payload == {"action": "test.unit.rename"}


def test_action_without_audit_is_refused_and_rolled_back(central_office_user, unit):
    with pytest.raises(RuntimeError, match="without an audit event"):
        silent(central_office_user, unit)
    unit.refresh_from_db()
    assert unit.name == "Kultur och fritid"
