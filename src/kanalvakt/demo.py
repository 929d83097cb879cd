"""The Osby kommun demo data, loaded by `make run` into an empty database.

Each app adds a loader to LOADERS; loaders run in order inside one transaction, through
the same actions as the UI, as the system actor "demo"."""

from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

DEMO_PASSWORD = "osby-demo-2026"  # noqa: S105 - printed on purpose; demo only

LOADERS = [
    "kanalvakt.organisation.demo.load",
    "kanalvakt.registry.demo.load",
    "kanalvakt.capture.demo.load",
    "kanalvakt.screenshots.demo.load",
    "kanalvakt.moderation.demo.load",
    "kanalvakt.dialog.demo.load",
    "kanalvakt.records.registration_demo.load",
]


def database_is_empty() -> bool:
    from django.contrib.auth import get_user_model

    from kanalvakt.organisation.models import OrgUnit

    return not OrgUnit.objects.exists() and not get_user_model().objects.exists()


def load_demo_data() -> None:
    from kanalvakt.organisation.access import SystemActor

    actor = SystemActor("demo")
    # The demo's own workflow steps would mail every demo person; keep those in memory.
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(EMAIL_BACKEND=locmem), transaction.atomic():
        for path in LOADERS:
            import_string(path)(actor)
