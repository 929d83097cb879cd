"""Create the role groups. Their permissions are (re)attached after every migrate by
kanalvakt.organisation.roles.sync_role_permissions, so later apps' permissions join."""

from django.db import migrations

ROLE_NAMES = [
    "Kontoansvarig", "Chef", "Kommunikatör", "Kommunledningskontoret",
    "Registrator", "Arkivarie", "Revisor", "Moderator",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
