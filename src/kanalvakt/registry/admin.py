from django.contrib import admin

from kanalvakt.core.admin_audit import AuditedModelAdmin
from kanalvakt.registry.models import Channel, LinkedChannel, Platform, WebsitePage


@admin.register(Platform)
class PlatformAdmin(AuditedModelAdmin):
    list_display = ["name", "key", "url_template", "enabled", "sort_order"]
    list_editable = ["enabled", "sort_order"]


@admin.register(LinkedChannel)
class LinkedChannelAdmin(AuditedModelAdmin):
    list_display = ["title", "owner", "platform", "listed"]


@admin.register(WebsitePage)
class WebsitePageAdmin(AuditedModelAdmin):
    list_display = ["url", "last_checked_at", "last_error"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Read-only: channels change through the workflow's actions, never here."""

    list_display = ["display_name", "platform", "handle", "status", "responsible"]
    list_filter = ["status", "platform"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
