from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "kanalvakt.registry"
    verbose_name = _("Channel registry")

    def ready(self):
        from kanalvakt.registry import politician_rule  # noqa: F401 - connects its receiver
