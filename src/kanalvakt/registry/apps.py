from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "kanalvakt.registry"
    verbose_name = _("Channel registry")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kanalvakt.registry import politician_rule  # noqa: F401 - connects its receiver
        from kanalvakt.registry.defaults import install_default_platforms

        def install(sender, **kwargs):
            install_default_platforms()

        post_migrate.connect(
            install, sender=self, dispatch_uid="registry-default-platforms", weak=False
        )
