"""Use cases of capture that change state someone answers for: configuring a connection,
depositing its token, a connection breaking, an import run, refused webhook deliveries.
Bulk capture itself is data intake and is not audited item by item."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kanalvakt.capture.connectors.base import get_connector
from kanalvakt.capture.models import ChannelConnection, WebhookEndpoint
from kanalvakt.capture.tokens import seal_token
from kanalvakt.core.actions import action
from kanalvakt.core.notify import notify

CHANGE = "capture.change_channelconnection"
REFUSAL_AUDIT_EVERY = timedelta(minutes=1)


@action("capture.connection.configure", permission=CHANGE, target="channel")
def configure_connection(ctx, channel, *, connector: str, account_id: str, options=None):
    try:
        get_connector(connector)
    except KeyError:
        raise ValidationError(_("Unknown connector.")) from None
    account_id = (account_id or "").strip()
    if not account_id:
        raise ValidationError(_("Give the account's id on the platform."))
    connection, created = ChannelConnection.objects.get_or_create(
        channel=channel,
        defaults={"connector": connector, "account_id": account_id, "options": options or {}},
    )
    if not created:
        changed_account = connection.account_id != account_id
        connection.connector, connection.account_id = connector, account_id
        connection.options = options if options is not None else connection.options
        if changed_account:
            connection.cursor = {}  # another account: start from the top
        connection.save()
    ctx.audit(
        channel,
        {"connector": connector, "account_id": account_id, "options": connection.options},
    )
    return connection


@action("capture.token.deposit", permission=CHANGE, target="channel")
@sensitive_variables("token")
def deposit_token(ctx, channel, *, token: str):
    """Seal a new access token; a broken connection is switched on again to be retried."""
    token = (token or "").strip()
    if not token:
        raise ValidationError(_("Give the access token."))
    connection = ChannelConnection.objects.select_for_update().filter(channel=channel).first()
    if connection is None:
        raise ValidationError(_("Set up the connection before depositing its token."))
    seal_token(connection, token)
    connection.token_deposited_at = timezone.now()
    connection.token_deposited_by_label = ctx.actor_label
    was_broken = connection.state == ChannelConnection.State.BROKEN
    if was_broken:
        connection.state = ChannelConnection.State.OK
        connection.broken_since = None
        connection.next_poll_at = None  # due at once
    connection.save()
    ctx.audit(
        channel,
        {
            "token_version": connection.token_version,
            "kek_id": connection.token_kek_id,
            "reopened": was_broken,
        },
    )
    return connection


@action("capture.connection.broken", permission=CHANGE, target="connection")
def mark_broken(ctx, connection: ChannelConnection, *, reason: str):
    """The platform refused the token: stop polling and tell the owner within this run."""
    now = timezone.now()
    updated = ChannelConnection.objects.filter(pk=connection.pk).exclude(
        state=ChannelConnection.State.BROKEN
    )
    if not updated.update(
        state=ChannelConnection.State.BROKEN,
        broken_since=now,
        last_error=reason[:2000],
        last_error_at=now,
    ):
        ctx.audit(connection.channel, {"reason": reason[:500], "already_broken": True})
        return connection
    channel = connection.channel
    ctx.audit(channel, {"connector": connection.connector, "reason": reason[:500]})
    with translation.override("sv"):
        subject = _("Capture from %(name)s has stopped") % {"name": channel.display_name}
    notify(
        [channel.responsible, *channel.deputies.all()],
        subject,
        "capture/email/connection_broken.txt",
        {"channel": channel, "connection": connection, "reason": reason, "broken_at": now},
    )
    connection.refresh_from_db()
    return connection


@action("capture.import", permission=CHANGE, target="channel")
def record_import(ctx, channel, *, kind: str, path: str, counts: dict):
    """One audit event per import run, with what it added, updated and skipped."""
    ctx.audit(channel, {"kind": kind, "file": path[-300:], **counts})


@action("capture.webhook.refused", permission=None)
def record_webhook_refusal(ctx, endpoint: WebhookEndpoint, *, why: str):
    ctx.audit(
        endpoint,
        {
            "why": why,
            "refused_unsigned": endpoint.refused_unsigned,
            "refused_bad_signature": endpoint.refused_bad_signature,
        },
    )


def refusal_due_for_audit(endpoint: WebhookEndpoint, now) -> bool:
    """At most one audit event per minute: a flood of forged deliveries must not flood
    the audit log (the counters keep the exact numbers)."""
    last = endpoint.last_refusal_audited_at
    return last is None or now - last >= REFUSAL_AUDIT_EVERY
