from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kanalvakt.core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        def ensure_heartbeat(sender, **kwargs):
            from kanalvakt.core.scheduler import ensure_job

            ensure_job("worker-heartbeat", "kanalvakt.core.tasks.heartbeat", 60)

        # Also after a test database flush, which empties rows data migrations made.
        post_migrate.connect(
            ensure_heartbeat, sender=self, dispatch_uid="core-heartbeat", weak=False
        )
