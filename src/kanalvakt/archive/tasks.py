"""Background work of the integrity log (scheduled in apps.py)."""

from django_tasks import task


@task()
def append_to_log() -> int:
    """Log every archived record not yet logged (the high-water mark makes it idempotent)."""
    from kanalvakt.archive.integrity import append_pending

    return append_pending()


@task()
def publish_tree_head() -> int:
    """Append what is pending, then sign the head if the log grew since the last one."""
    from kanalvakt.archive.integrity import append_pending, sign_current_head

    append_pending()
    row = sign_current_head()
    return row.size if row else -1


def enqueue_append(sender=None, **kwargs) -> None:
    """Receiver of items_captured: quick, the webhook path waits for receivers."""
    append_to_log.enqueue()
