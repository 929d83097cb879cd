"""The staff menu. Each entry shows only to users who hold its permission."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str


# Later issues append their sections here.
STAFF_MENU: list[NavItem] = [
    NavItem(_("Start"), "core:home", "organisation.access_staff_ui"),
    NavItem(_("To do"), "registry:inbox", "registry.view_channel"),
    NavItem(_("Accounts"), "registry:channels", "registry.view_channel"),
    NavItem(_("Credentials"), "custody:overview", "custody.view_deposit"),
    NavItem(_("Archive"), "archive_staff:search", "archive.view_item"),
    NavItem(_("Screenshots"), "screenshots:overview", "screenshots.view_screenshot"),
    NavItem(_("Moderation"), "moderation:queue", "moderation.view_moderationcase"),
    NavItem(_("Questions"), "dialog:inbox", "dialog.view_question"),
    NavItem(_("My accounts"), "compliance:mine", "registry.request_channel"),
    NavItem(_("Compliance"), "compliance:overview", "compliance.view_compliance"),
    NavItem(_("Registration"), "records:registrations", "records.view_registration"),
    NavItem(_("Organisation"), "organisation:people", "organisation.view_person"),
    NavItem(_("Access requests"), "records:access_requests", "records.view_accessrequest"),
    NavItem(_("Disposal"), "records:retention", "records.view_retentionclass"),
    NavItem(_("Legal holds"), "records:holds", "records.view_legalhold"),
    NavItem(_("Audit log"), "audit:events", "audit.view_auditevent"),
]


def menu_for(user, current_path: str) -> list[dict]:
    from kanalvakt.organisation.access import holds

    items = [
        {"label": item.label, "url": reverse(item.url_name), "current": False}
        for item in STAFF_MENU
        if holds(user, item.permission)
    ]
    # The entry whose address is the longest prefix of the page is the current one.
    matches = [
        i
        for i in items
        if current_path == i["url"]
        or (i["url"] != "/intern/" and current_path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["current"] = True
    return items
