from django.db import migrations


def add_job(apps, schema_editor):
    ScheduledJob = apps.get_model("core", "ScheduledJob")
    ScheduledJob.objects.get_or_create(
        name="worker-heartbeat",
        defaults={"task_path": "kanalvakt.core.tasks.heartbeat", "interval_seconds": 60},
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_heartbeat")]
    operations = [migrations.RunPython(add_job, migrations.RunPython.noop)]
