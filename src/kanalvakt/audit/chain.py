"""Canonical form and hashing of audit events, shared by writing and verification."""

import hashlib
import json
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64


def canonical_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    *,
    seq,
    occurred_at,
    actor_id,
    actor_label,
    action,
    object_type,
    object_id,
    object_label,
    payload,
    prev_hash,
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "occurred_at": canonical_timestamp(occurred_at),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "object_label": object_label,
            "payload": payload,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def hash_of_row(row) -> str:
    return event_hash(
        seq=row.seq,
        occurred_at=row.occurred_at,
        actor_id=row.actor_id,
        actor_label=row.actor_label,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        object_label=row.object_label,
        payload=row.payload,
        prev_hash=row.prev_hash,
    )
