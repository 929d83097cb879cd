from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "kanalvakt.exports"
    verbose_name = _("Exports")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        def ensure_jobs(sender, **kwargs):
            from kanalvakt.core.scheduler import ensure_job

            ensure_job(
                "exports-render-threads", "kanalvakt.exports.tasks.render_recent_threads", 86400
            )

        # This app has no models, so Django sends it no post_migrate of its own.
        core = apps.get_app_config("core")
        post_migrate.connect(ensure_jobs, sender=core, dispatch_uid="exports-jobs", weak=False)
