"""Test run: fast hashing, in-memory mail, tasks run inline unless a test says otherwise."""

from kanalvakt.conf.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
