from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "kanalvakt.compliance"
    verbose_name = _("Compliance")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kanalvakt.compliance import registry_checks, sections  # noqa: F401 - register

        def ensure_job(sender, **kwargs):
            from kanalvakt.core.scheduler import ensure_job

            ensure_job(
                "compliance-monthly-report", "kanalvakt.compliance.tasks.monthly_report", 24 * 3600
            )

        post_migrate.connect(
            ensure_job, sender=self, dispatch_uid="compliance-monthly-job", weak=False
        )
