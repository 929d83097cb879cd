"""Use cases of the organisation: every change checks permission and is audited."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.dispatch import Signal

from kanalvakt.audit.log import plain
from kanalvakt.core.actions import action
from kanalvakt.organisation.models import OrgUnit, Person
from kanalvakt.organisation.roles import Role

# Sent after a person becomes (or stops being) an elected official or leaves employment,
# so the apps that depend on it (the registry's politician rule, custody's orphan check)
# re-check at once. Arguments: person, changed (set of field names), actor.
person_status_changed = Signal()

PERSON_FIELDS = (
    "name",
    "title",
    "email",
    "org_unit",
    "manager",
    "is_elected_official",
    "employment_end",
)
STATUS_FIELDS = {"is_elected_official", "employment_end"}


@action("organisation.org_unit.create", permission="organisation.add_orgunit")
def create_org_unit(ctx, *, name, kind, parent=None, website_url=""):
    unit = OrgUnit(name=name, kind=kind, parent=parent, website_url=website_url)
    unit.full_clean()
    unit.save()
    ctx.audit(unit, {"name": name, "kind": kind, "parent": parent.pk if parent else None})
    return unit


@action("organisation.person.create", permission="organisation.add_person")
def create_person(ctx, **fields):
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(**fields)
    person.full_clean()
    person.save()
    ctx.audit(person, {"fields": _snapshot(person, fields)})
    return person


@action("organisation.person.update", permission="organisation.change_person", target="person")
def update_person(ctx, person, **fields):
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    before = _snapshot(person, fields)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    after = _snapshot(person, fields)
    changed = {name for name in fields if before[name] != after[name]}
    ctx.audit(
        person, {"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}}
    )
    if changed & STATUS_FIELDS:
        person_status_changed.send(sender=Person, person=person, changed=changed, actor=ctx.actor)
    return person


@action("organisation.user.create", permission="organisation.add_person", target="person")
def create_login(ctx, person, *, username, password=None, roles=()):
    """Give a person a login with the listed roles. Without a password the person signs
    in through single sign-on only."""
    user = get_user_model().objects.create_user(
        username=username,
        email=person.email,
        password=password,
        first_name=person.name.split(" ")[0],
        last_name=" ".join(person.name.split(" ")[1:]),
    )
    user.groups.set(Group.objects.filter(name__in=[Role(r).value for r in roles]))
    person.user = user
    person.save(update_fields=["user"])
    ctx.audit(person, {"username": username, "roles": sorted(Role(r).value for r in roles)})
    return user


def _snapshot(person, fields) -> dict:
    return {name: plain(getattr(person, name)) for name in fields}
