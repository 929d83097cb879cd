"""The police-report package of a case: the item and its thread as archived (raw payloads
and SHA-256), the flags, the decision and the times, as one zip with a manifest of hashes."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from kanalvakt.archive.models import ItemVersion
from kanalvakt.moderation.actions import thread_items


def _item_document(item) -> dict:
    versions = ItemVersion.objects.filter(item=item).order_by("number")
    return {
        "platform": item.platform,
        "external_id": item.external_id,
        "kind": item.kind,
        "url": item.url,
        "author": {
            "id": item.author_external_id,
            "name": item.author_display_name,
            "handle": item.author_handle,
        },
        "created_on_platform_at": item.created_on_platform_at.isoformat(),
        "captured_at": item.captured_at.isoformat(),
        "versions": [
            {
                "number": v.number,
                "sha256": v.sha256,
                "captured_at": v.captured_at.isoformat(),
                "text": v.text_plain or v.text,
                "raw_json": v.raw_json,
            }
            for v in versions
        ],
    }


def police_package(case) -> bytes:
    item = case.item
    files = {
        "item.json": _item_document(item),
        "thread.json": [_item_document(i) for i in thread_items(item)],
        "case.json": {
            "case": case.pk,
            "channel": item.channel.display_name,
            "decision": case.decision,
            "reason": case.decision_reason,
            "decided_at": case.decided_at.isoformat() if case.decided_at else None,
            "decided_by": case.decided_by_label,
            "preservation": case.preservation,
            "flags": [
                {
                    "category": f.category_id,
                    "rule": f.rule,
                    "explanation": f.explanation,
                    "spans": f.spans,
                    "policy_version": f.policy_version.number,
                }
                for f in case.flags.select_related("policy_version")
            ],
            "screenshots": [a.screenshot_status for a in case.actions.all()],
        },
    }
    buffer = io.BytesIO()
    manifest = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, document in files.items():
            data = json.dumps(document, ensure_ascii=False, indent=2).encode()
            archive.writestr(name, data)
            manifest.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
        archive.writestr("SHA256SUMS", "\n".join(manifest) + "\n")
    return buffer.getvalue()
