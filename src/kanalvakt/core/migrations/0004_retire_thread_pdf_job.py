from django.db import migrations


def retire_job(apps, schema_editor):
    # Thread PDFs are typeset at export time now (docs/decisions/0114): no nightly rendering.
    apps.get_model("core", "ScheduledJob").objects.filter(name="exports-render-threads").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_worker_heartbeat_job")]
    operations = [migrations.RunPython(retire_job, migrations.RunPython.noop)]
