"""The roles of DESIGN.md as Django groups, and exactly which permissions each holds.

Scope OWN means the role holds the permission only for objects the person answers for
(kanalvakt.organisation.access decides that); ALL means for every object.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

OWN, ALL = "own", "all"


class Role(StrEnum):
    ACCOUNT_OWNER = "Kontoansvarig"
    MANAGER = "Chef"
    COMMUNICATOR = "Kommunikatör"
    CENTRAL_OFFICE = "Kommunledningskontoret"
    REGISTRAR = "Registrator"
    ARCHIVIST = "Arkivarie"
    AUDITOR = "Revisor"
    MODERATOR = "Moderator"


ROLE_DESCRIPTIONS = {
    Role.ACCOUNT_OWNER: _(
        "Requests accounts, writes activity plans, deposits credentials, "
        "answers and moderates own accounts."
    ),
    Role.MANAGER: _("Approves or rejects account requests of their staff."),
    Role.COMMUNICATOR: _("Is consulted on every request; moderates and answers on all accounts."),
    Role.CENTRAL_OFFICE: _("Keeps plans and credentials, administers the system, sees compliance."),
    Role.REGISTRAR: _("Registers items to cases and handles requests for public records."),
    Role.ARCHIVIST: _("Retention, disposal, legal hold and e-archive delivery."),
    Role.AUDITOR: _("Reads everything, changes nothing."),
    Role.MODERATOR: _("Screens comments and decides on removal."),
}

_STAFF = {
    "organisation.access_staff_ui": ALL,
    "organisation.view_orgunit": ALL,
    "organisation.view_person": ALL,
    "registry.view_channel": ALL,
    "screenshots.view_screenshot": ALL,
}
# Working on accounts: requesting, editing and planning (own accounts only for owners).
_ACCOUNT_WORK = {
    "registry.request_channel": ALL,
    "custody.view_deposit": OWN,
}
_ALL_ACCOUNTS = {
    "registry.request_channel": ALL,
    "registry.change_channel": ALL,
    "registry.change_activityplan": ALL,
    "custody.view_deposit": ALL,
}
# Moderation (R4): seeing the queue and deciding; account owners for their own accounts.
_MODERATION_ALL = {
    "moderation.view_moderationcase": ALL,
    "moderation.change_moderationcase": ALL,
}
_MODERATION_OWN = {
    "moderation.view_moderationcase": OWN,
    "moderation.change_moderationcase": OWN,
}

# Dialog (R3): seeing, answering and forwarding questions; owners for their own accounts.
_DIALOG_ALL = {
    "dialog.view_question": ALL,
    "dialog.answer_question": ALL,
    "dialog.forward_question": ALL,
}
_DIALOG_OWN = {
    "dialog.view_question": OWN,
    "dialog.answer_question": OWN,
    "dialog.forward_question": OWN,
}

# Registration (R7.4, R7.6): the registrar registers and hands off; others read.
_REGISTRATION = {
    "records.view_registration": ALL,
    "records.add_registration": ALL,
    "records.change_registration": ALL,
    "records.handoff_registration": ALL,
}

# Retention and disposal (R7.1): the archivist proposes, approves and holds; the registrar
# places and releases legal holds (access requests, appeals); the auditor reads.
_RETENTION_READ = {
    "records.view_retentionclass": ALL,
    "records.view_disposalrun": ALL,
    "records.view_legalhold": ALL,
}
_LEGAL_HOLD = {"records.add_legalhold": ALL, "records.release_legalhold": ALL}
_RETENTION = {
    **_RETENTION_READ,
    **_LEGAL_HOLD,
    "records.change_retentionclass": ALL,
    "records.add_disposalrun": ALL,
    "records.approve_disposalrun": ALL,
}

# Requests for public records (R7.3, R7.6): intake, review, masking and delivery.
_ACCESS_REQUESTS = {
    "records.view_accessrequest": ALL,
    "records.add_accessrequest": ALL,
    "records.handle_accessrequest": ALL,
}

# Later issues add their permissions here, next to the roles that hold them.
ROLE_PERMISSIONS: dict[Role, dict[str, str]] = {
    Role.ACCOUNT_OWNER: {
        **_STAFF,
        **_ACCOUNT_WORK,
        "registry.change_channel": OWN,
        "registry.change_activityplan": OWN,
        "custody.deposit_credentials": OWN,
        "archive.view_item": OWN,
        "capture.change_channelconnection": OWN,
        "screenshots.add_screenshot": OWN,
        **_MODERATION_OWN,
        **_DIALOG_OWN,
    },
    Role.MANAGER: {**_STAFF, **_ACCOUNT_WORK, "registry.decide_request": OWN},
    Role.COMMUNICATOR: {
        **_STAFF,
        **_ALL_ACCOUNTS,
        "compliance.view_compliance": ALL,
        "registry.record_consultation": ALL,
        "archive.view_item": ALL,
        "screenshots.add_screenshot": ALL,
        "screenshots.accept_screenshot": ALL,
        "registry.add_linkedchannel": ALL,
        "registry.change_linkedchannel": ALL,
        **_MODERATION_ALL,
        "moderation.add_policyversion": ALL,
        **_DIALOG_ALL,
    },
    Role.CENTRAL_OFFICE: {
        **_STAFF,
        **_ALL_ACCOUNTS,
        "registry.activate_channel": ALL,
        "records.view_registration": ALL,
        "registry.manage_platforms": ALL,
        "registry.add_linkedchannel": ALL,
        "registry.change_linkedchannel": ALL,
        "registry.add_websitepage": ALL,
        "registry.change_websitepage": ALL,
        "custody.reveal_credentials": ALL,
        "compliance.view_compliance": ALL,
        "compliance.add_policydocument": ALL,
        "archive.view_item": ALL,
        "capture.change_channelconnection": ALL,
        "screenshots.add_screenshot": ALL,
        "screenshots.accept_screenshot": ALL,
        "organisation.add_orgunit": ALL,
        "organisation.change_orgunit": ALL,
        "organisation.add_person": ALL,
        "organisation.change_person": ALL,
        "audit.view_auditevent": ALL,
        "core.view_scheduledjob": ALL,
        "core.change_scheduledjob": ALL,
        **_DIALOG_ALL,
    },
    Role.REGISTRAR: {
        **_STAFF,
        "archive.view_item": ALL,
        **_REGISTRATION,
        "records.view_legalhold": ALL,
        **_LEGAL_HOLD,
        **_ACCESS_REQUESTS,
    },
    Role.ARCHIVIST: {**_STAFF, "archive.view_item": ALL, **_RETENTION},
    Role.AUDITOR: {
        **_STAFF,
        **_RETENTION_READ,
        "compliance.view_compliance": ALL,
        "custody.view_deposit": ALL,
        "audit.view_auditevent": ALL,
        "records.view_registration": ALL,
        "records.view_accessrequest": ALL,
        "core.view_scheduledjob": ALL,
        "archive.view_item": ALL,
        "moderation.view_moderationcase": ALL,
        "dialog.view_question": ALL,
    },
    Role.MODERATOR: {**_STAFF, "archive.view_item": ALL, **_MODERATION_ALL, **_DIALOG_ALL},
}


def role_scope(role: Role, permission: str) -> str | None:
    return ROLE_PERMISSIONS.get(role, {}).get(permission)


def sync_role_permissions(sender=None, **kwargs):
    """Create the role groups and give each exactly its listed permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    wanted = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    by_name = {}
    for perm in Permission.objects.using(using).select_related("content_type"):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        existing = [by_name[p] for p in perms if p in by_name]
        group.permissions.set(existing)
    return wanted - by_name.keys()
