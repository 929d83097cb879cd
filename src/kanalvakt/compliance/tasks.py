from django_tasks import task

from kanalvakt.compliance.report import send_monthly_report


@task()
def monthly_report():
    """Daily; sends last month's report on the first weekday of the month."""
    return send_monthly_report()
