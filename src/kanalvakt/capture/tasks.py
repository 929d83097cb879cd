"""Background work of capture, scheduled by the worker (see apps.py)."""

from django_tasks import task


@task()
def poll_due_connections() -> dict:
    """Run every connection that is due (each says when: 10 min, or 1 min if high traffic)."""
    from kanalvakt.capture.runner import claim_due, refresh_order, run_connection

    outcomes: dict[str, int] = {}
    for connection in refresh_order(claim_due()):
        summary = run_connection(connection)
        outcomes[summary.outcome] = outcomes.get(summary.outcome, 0) + 1
    return outcomes


@task()
def fetch_pending_media() -> dict:
    from kanalvakt.capture.media import fetch_pending

    return fetch_pending()
