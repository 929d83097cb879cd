"""The platforms Osby uses (R1.1), as data the central office can edit."""

from django.db import migrations

from kanalvakt.registry.defaults import install_default_platforms


def add_platforms(apps, schema_editor):
    install_default_platforms(apps.get_model("registry", "Platform"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(add_platforms, migrations.RunPython.noop)]
