"""Django admin changes go through the audit log too (the admin is for superusers only)."""

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from kanalvakt.audit import log as audit_log


def _plain(obj) -> dict:
    return {k: audit_log.plain(v) for k, v in model_to_dict(obj).items()}


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = "admin.change" if change else "admin.add"
            audit_log.record(
                request.user,
                action,
                obj,
                {"changed": list(form.changed_data), "values": _plain(obj)},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_log.record(request.user, "admin.delete", obj, {"values": _plain(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
