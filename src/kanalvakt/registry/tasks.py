"""Background work of the registry: the daily website link check (R6.1)."""

from django_tasks import task

from kanalvakt.organisation.access import SystemActor


@task()
def check_website_links() -> dict:
    """Read the municipality's website pages and record which active channels none of
    them links to. Scheduled daily by migration 0003; returns the audited summary."""
    from kanalvakt.registry.linkcheck import check_website_links as run_check

    return run_check(SystemActor("worker")).summary()
