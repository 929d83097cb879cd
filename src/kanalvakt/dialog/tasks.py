"""Background work of the dialog: escalation every 15 minutes (R3.1), reminders (R3.4)."""

from django_tasks import task


@task()
def escalate_overdue() -> dict:
    from kanalvakt.dialog.escalation import escalate_overdue as run

    return run()


@task()
def remind_forward_receivers() -> int:
    from kanalvakt.dialog.forward_actions import send_reminders

    return send_reminders()
