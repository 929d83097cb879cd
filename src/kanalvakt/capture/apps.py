from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaptureConfig(AppConfig):
    name = "kanalvakt.capture"
    verbose_name = _("Capture")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kanalvakt.capture.tokens import sealed_store
        from kanalvakt.custody.sealed_stores import register

        register(sealed_store())  # `custody rotate-key` re-wraps platform tokens too
        from kanalvakt.capture import compliance  # noqa: F401 - registers the check

        def ensure_jobs(sender, **kwargs):
            from kanalvakt.core.scheduler import ensure_job

            # Every minute: each connection itself says when it is due (10 min or 1 min).
            ensure_job("capture-poll", "kanalvakt.capture.tasks.poll_due_connections", 60)
            ensure_job("capture-media", "kanalvakt.capture.tasks.fetch_pending_media", 300)

        # Also after a test database flush, which empties rows data migrations made.
        post_migrate.connect(ensure_jobs, sender=self, dispatch_uid="capture-jobs", weak=False)
