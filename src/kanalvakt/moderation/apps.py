from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "kanalvakt.moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kanalvakt.archive.signals import items_captured
        from kanalvakt.moderation import compliance  # noqa: F401 - registers R4.1/R7.6 checks
        from kanalvakt.moderation.policy import install_default_policy
        from kanalvakt.moderation.screening import on_items_captured

        def after_migrate(sender, **kwargs):
            from kanalvakt.core.scheduler import ensure_job

            install_default_policy()
            ensure_job("moderation-retry", "kanalvakt.moderation.tasks.retry_platform_actions", 300)

        # Also after a test database flush, which empties rows data migrations made.
        post_migrate.connect(
            after_migrate, sender=self, dispatch_uid="moderation-policy", weak=False
        )
        items_captured.connect(on_items_captured, dispatch_uid="moderation-screening", weak=False)
