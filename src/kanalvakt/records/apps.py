from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "kanalvakt.records"
    verbose_name = _("Records")

    def ready(self):
        from kanalvakt.records import (
            access_tasks,
            registration_compliance,  # noqa: F401 - R7.4 check
            retention,
        )

        retention.connect(self)
        access_tasks.connect(self)
