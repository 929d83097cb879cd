"""Scheduled work of access requests: release the legal hold once the appeal time is over."""

from django_tasks import task

JOB_NAME = "records-access-holds"
INTERVAL_SECONDS = 3600


@task()
def release_access_holds() -> int:
    from kanalvakt.records.access_actions import release_due_holds

    return release_due_holds()


def connect(app_config) -> None:
    from django.db.models.signals import post_migrate

    def after_migrate(sender, **kwargs):
        from kanalvakt.core.scheduler import ensure_job

        ensure_job(JOB_NAME, "kanalvakt.records.access_tasks.release_access_holds",
                   INTERVAL_SECONDS)  # fmt: skip

    # Also after a test database flush, which empties the scheduler's rows.
    post_migrate.connect(after_migrate, sender=app_config, dispatch_uid=JOB_NAME, weak=False)
