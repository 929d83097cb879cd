from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "kanalvakt.archive"
    verbose_name = _("Archive")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kanalvakt.archive.signals import items_captured
        from kanalvakt.archive.tasks import enqueue_append

        def ensure_jobs(sender, **kwargs):
            from kanalvakt.core.scheduler import ensure_job

            # The high-water mark catches whatever a lost signal missed.
            ensure_job("archive-log-append", "kanalvakt.archive.tasks.append_to_log", 300)
            ensure_job("archive-tree-head", "kanalvakt.archive.tasks.publish_tree_head", 3600)
            # The search index is derived data; a migration may have emptied it.
            from kanalvakt.archive.search import reindex_all

            reindex_all(missing_only=True)

        post_migrate.connect(ensure_jobs, sender=self, dispatch_uid="archive-jobs", weak=False)
        items_captured.connect(enqueue_append, dispatch_uid="archive-log-append", weak=False)
        from kanalvakt.screenshots.signals import screenshot_stored

        screenshot_stored.connect(enqueue_append, dispatch_uid="archive-log-screenshot", weak=False)
        from kanalvakt.archive.search import on_items_captured

        items_captured.connect(on_items_captured, dispatch_uid="archive-search", weak=False)
