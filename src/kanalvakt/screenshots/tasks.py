"""Background work of screenshots: capture what is due, send the reminders."""

from django_tasks import task

CAPTURE_JOB = ("screenshots-capture-due", "kanalvakt.screenshots.tasks.capture_due", 15 * 60)
REMINDER_JOB = ("screenshots-reminders", "kanalvakt.screenshots.tasks.send_reminders", 86400)


@task()
def capture_due() -> dict:
    """Capture every channel whose screenshot is due (six months, a major change, or a
    first one), in one browser. A channel with nothing due costs one query."""
    from kanalvakt.screenshots.capture import capture_due as run

    return run().as_dict()


@task()
def send_reminders() -> dict:
    from kanalvakt.screenshots.reminders import send_due_reminders

    return send_due_reminders()
