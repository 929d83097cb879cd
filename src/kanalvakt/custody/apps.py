from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

FLAG_DIGEST_JOB = ("custody-flag-digest", "kanalvakt.custody.tasks.send_flag_digest", 7 * 86400)


class CustodyConfig(AppConfig):
    name = "kanalvakt.custody"
    verbose_name = _("Credential custody")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kanalvakt.custody import checks  # noqa: F401 - registers the activation check
        from kanalvakt.custody.sealed_stores import _deposits, register

        register(_deposits())

        def ensure_digest_job(sender, **kwargs):
            from kanalvakt.core.scheduler import ensure_job

            ensure_job(*FLAG_DIGEST_JOB)

        # Also after a test database flush, which empties rows data migrations made.
        post_migrate.connect(
            ensure_digest_job, sender=self, dispatch_uid="custody-flag-digest", weak=False
        )
