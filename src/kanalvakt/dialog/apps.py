from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogConfig(AppConfig):
    name = "kanalvakt.dialog"
    verbose_name = _("Dialog")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kanalvakt.archive.signals import items_captured
        from kanalvakt.dialog import compliance  # noqa: F401  (registers check and section)
        from kanalvakt.dialog.detection import on_items_captured

        def after_migrate(sender, **kwargs):
            from kanalvakt.core.scheduler import ensure_job

            ensure_job("dialog-escalate", "kanalvakt.dialog.tasks.escalate_overdue", 15 * 60)
            ensure_job(
                "dialog-forward-reminders", "kanalvakt.dialog.tasks.remind_forward_receivers", 3600
            )

        # Also after a test database flush, which empties rows data migrations made.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="dialog-jobs", weak=False)
        items_captured.connect(on_items_captured, dispatch_uid="dialog-questions", weak=False)
