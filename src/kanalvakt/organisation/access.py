"""Who may do what, in one place: role permissions plus object-level ownership.

A permission held by one of the user's roles with scope ALL allows it on every object;
held only with scope OWN, it allows it on objects the user's person answers for, as the
object says through `answerable_person_ids()` (a channel: its responsible person and
deputies; `person_ids_for(permission)` when it differs per permission). Superusers may do
everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from kanalvakt.organisation.roles import ALL, OWN, Role, role_scope


@dataclass(frozen=True)
class SystemActor:
    """The worker, the CLI or a migration acting on the system's own behalf."""

    name: str
    is_system: bool = True
    is_authenticated: bool = True
    is_superuser: bool = True
    pk: None = None

    def __str__(self):
        return f"system:{self.name}"


def roles_of(user) -> set[Role]:
    if getattr(user, "is_system", False) or not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_kanalvakt_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in Role if role.value in names}
        user._kanalvakt_roles = cached
    return cached


def person_of(user):
    if getattr(user, "is_system", False) or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Exception:
        return None


def answers_for(user, obj, permission: str | None = None) -> bool:
    """True if the user's person is among those who answer for `obj` in this respect:
    `obj.person_ids_for(permission)` when the object distinguishes (a channel request is
    decided by the requester's manager), else `obj.answerable_person_ids()`."""
    person = person_of(user)
    if person is None:
        return False
    if hasattr(obj, "person_ids_for"):
        return person.pk in obj.person_ids_for(permission)
    ids = getattr(obj, "answerable_person_ids", None)
    return callable(ids) and person.pk in ids()


def can(user, permission: str | None, obj=None) -> bool:
    if permission is None:  # a public action
        return True
    if getattr(user, "is_system", False) or getattr(user, "is_superuser", False):
        return getattr(user, "is_active", True)
    scope = widest_scope(user, permission)
    return scope == ALL or (scope == OWN and obj is not None and answers_for(user, obj, permission))


def holds(user, permission: str | None) -> bool:
    """True if the user holds the permission for at least some objects (to show a page
    or a menu entry; the object check happens when something is done)."""
    if permission is None or getattr(user, "is_system", False):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(role_scope(role, permission) for role in roles_of(user))


def require(user, permission: str | None, obj=None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied(permission)


def widest_scope(user, permission: str) -> str | None:
    """ALL, OWN or None: the widest scope in which ``user`` holds ``permission``."""
    if getattr(user, "is_system", False) or getattr(user, "is_superuser", False):
        return ALL
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    scopes = {role_scope(role, permission) for role in roles_of(user)}
    return ALL if ALL in scopes else OWN if OWN in scopes else None


def visible_channels(user, permission: str):
    """The channels on which ``user`` holds ``permission``, as one queryset (set-based:
    for lists and search, instead of a ``can`` per row). ALL scope: every channel; OWN
    scope: those the user's person answers for; otherwise none."""
    from kanalvakt.registry.models import Channel  # registry imports this module

    scope = widest_scope(user, permission)
    if scope == ALL:
        return Channel.objects.all()
    person = person_of(user) if scope == OWN else None
    return Channel.objects.answered_by(person) if person else Channel.objects.none()
