"""E-mail notifications: Swedish, sent only after the change they report has committed."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def notify(recipients, subject: str, template: str, context: dict | None = None) -> None:
    """Queue one e-mail per recipient for when the current transaction commits.

    `recipients` are Person objects or addresses; duplicates and blanks are dropped."""
    addresses = sorted({getattr(r, "email", r) for r in recipients if getattr(r, "email", r)})
    if not addresses:
        return
    context = {**(context or {}), "site_url": settings.SITE_URL}

    def send():
        with translation.override("sv"):
            body = render_to_string(template, context)
        for address in addresses:
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            except OSError:
                # The change stands; a mail server outage must not undo it. Logged for ops.
                logger.exception("Could not send '%s' to %s", subject, address)

    transaction.on_commit(send)
