from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "kanalvakt.organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from kanalvakt.organisation.roles import sync_role_permissions

        # Permissions of apps migrated later are attached as soon as they exist.
        post_migrate.connect(sync_role_permissions, dispatch_uid="kanalvakt-sync-roles")
