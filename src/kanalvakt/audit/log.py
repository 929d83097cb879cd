"""Writing audit events. Only the action layer (kanalvakt.core.actions) calls `record`."""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from kanalvakt.audit.chain import GENESIS_HASH, event_hash
from kanalvakt.audit.models import AuditEvent

MAX_LABEL = 300


def describe_actor(actor) -> tuple[int | None, str]:
    """(user id, readable label) for a user or a system actor."""
    if actor is None:
        return None, "system"
    if getattr(actor, "is_system", False):
        return None, f"system:{actor.name}"
    if not getattr(actor, "is_authenticated", False):
        return None, "anonymous"
    full_name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    label = f"{full_name} ({actor.get_username()})" if full_name else actor.get_username()
    return actor.pk, label[:MAX_LABEL]


def describe_object(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = getattr(obj, "_meta", None)
    object_type = meta.label_lower if meta else type(obj).__name__.lower()
    return object_type, str(getattr(obj, "pk", "") or ""), str(obj)[:MAX_LABEL]


def plain(value):
    """A value as an audit payload keeps it: objects by primary key, times as ISO text."""
    if hasattr(value, "pk"):
        return value.pk
    return value.isoformat() if hasattr(value, "isoformat") else value


def _lock_chain():
    # SQLite already serialises writers (transaction_mode IMMEDIATE); PostgreSQL needs an
    # explicit lock so two transactions never chain onto the same previous event.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE audit_auditevent IN SHARE ROW EXCLUSIVE MODE")


def record(actor, action: str, obj=None, payload: dict | None = None) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit events are written inside the action's transaction")
    payload = json.loads(json.dumps(payload or {}, default=str))  # store exactly what we hash
    actor_id, actor_label = describe_actor(actor)
    object_type, object_id, object_label = describe_object(obj)
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        seq = last.seq + 1 if last else 1
        prev_hash = last.hash if last else GENESIS_HASH
        # Microsecond precision is what both databases keep, so hash what will be read back.
        occurred_at = timezone.now()
        fields = dict(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=object_label,
            payload=payload,
            prev_hash=prev_hash,
        )
        return AuditEvent.objects.create(**fields, hash=event_hash(**fields))


def latest_sequence() -> int:
    """The newest event's sequence number: it moves with every audited change, so a
    cached page keyed by it is never older than the last change (an index lookup)."""
    return AuditEvent.objects.aggregate(latest=Max("seq"))["latest"] or 0
