from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreenshotsConfig(AppConfig):
    name = "kanalvakt.screenshots"
    verbose_name = _("Screenshots")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kanalvakt.screenshots import compliance  # noqa: F401 - registers R7.7 check

        def ensure_jobs(sender, **kwargs):
            from kanalvakt.core.scheduler import ensure_job
            from kanalvakt.screenshots.tasks import CAPTURE_JOB, REMINDER_JOB

            ensure_job(*CAPTURE_JOB)
            ensure_job(*REMINDER_JOB)

        # Also after a test database flush, which empties rows data migrations made.
        post_migrate.connect(ensure_jobs, sender=self, dispatch_uid="screenshots-jobs", weak=False)
