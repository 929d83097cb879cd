from django.db import migrations


def add_job(apps, schema_editor):
    ScheduledJob = apps.get_model("core", "ScheduledJob")
    ScheduledJob.objects.get_or_create(
        name="custody-flag-digest",
        defaults={
            "task_path": "kanalvakt.custody.tasks.send_flag_digest",
            "interval_seconds": 7 * 24 * 60 * 60,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("custody", "0001_initial"), ("core", "0003_worker_heartbeat_job")]
    operations = [migrations.RunPython(add_job, migrations.RunPython.noop)]
