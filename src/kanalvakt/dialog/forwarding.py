"""Forwarding to the person responsible for an activity, and the signed answer link.

The link holds "<forward pk>:<nonce>" signed with a TimestampSigner whose salt names this
one purpose, so a token made for anything else never validates here. It expires after
LINK_MAX_AGE and works once: answering sets link_used_at. Reminders re-sign the same
nonce, giving a fresh expiry without making a second usable link.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core import signing
from django.urls import reverse

LINK_SALT = "kanalvakt.dialog.forward.answer"
LINK_MAX_AGE = timedelta(days=14)
REMIND_AFTER = timedelta(days=3)
MAX_REMINDERS = 3


class LinkInvalid(Exception):
    """The token is forged, expired, for another purpose or already used."""


def new_nonce() -> str:
    return secrets.token_hex(16)


def answer_token(forward) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign(f"{forward.pk}:{forward.nonce}")


def answer_path(forward) -> str:
    return reverse("dialog_public:answer", args=[answer_token(forward)])


def forward_for_token(token: str):
    """The open forward the token names; raises LinkInvalid otherwise."""
    from kanalvakt.dialog.models import Forward

    try:
        value = signing.TimestampSigner(salt=LINK_SALT).unsign(token, max_age=LINK_MAX_AGE)
    except signing.BadSignature as error:  # includes SignatureExpired
        raise LinkInvalid(str(error)) from error
    pk, _sep, nonce = value.partition(":")
    forward = (
        Forward.objects.select_related("item", "channel").filter(pk=pk, nonce=nonce).first()
        if pk.isdigit()
        else None
    )
    if forward is None or forward.link_used_at or forward.state != Forward.State.SENT:
        raise LinkInvalid("used or closed")
    return forward
