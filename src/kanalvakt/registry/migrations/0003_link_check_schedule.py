"""The daily website link check (R6.1) as a scheduled job run by the worker."""

from django.db import migrations


def add_job(apps, schema_editor):
    ScheduledJob = apps.get_model("core", "ScheduledJob")
    ScheduledJob.objects.get_or_create(
        name="registry-website-link-check",
        defaults={
            "task_path": "kanalvakt.registry.tasks.check_website_links",
            "interval_seconds": 24 * 60 * 60,
        },
    )


def remove_job(apps, schema_editor):
    apps.get_model("core", "ScheduledJob").objects.filter(
        name="registry-website-link-check"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_platforms"), ("core", "0003_worker_heartbeat_job")]
    operations = [migrations.RunPython(add_job, remove_job)]
