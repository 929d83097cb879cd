"""PREMIS events for masking (access requests) and disposal (retention) of package items.

Read straight from the records app's models; the originals are never changed by masking,
and a disposed item leaves a Tombstone with the hashes of what was destroyed.
"""

from __future__ import annotations

from kanalvakt.exports.premis import ORGANISATION_AGENT, Event


def records_events(channel, start, end):
    from kanalvakt.records.access_models import MaskedCopy
    from kanalvakt.records.retention_models import Tombstone

    masked = (
        MaskedCopy.objects.filter(
            request_item__item__channel=channel,
            request_item__item__created_on_platform_at__gte=start,
            request_item__item__created_on_platform_at__lt=end,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "kind",
            "provision",
            "original_sha256",
            "masked_sha256",
            "created_at",
            "request_item__item_id",
            "request_item__request__reference",
        )
    )
    for pk, kind, provision, original, copy, created, item_id, reference in masked.iterator():
        yield Event(
            f"masking-{pk}",
            "redaction",
            created.isoformat(),
            f"Masked copy ({kind}) for access request {reference} under {provision}; "
            "the original is unchanged",
            "success",
            f"original SHA-256 {original}, masked copy SHA-256 {copy}",
            (("kanalvakt-item", str(item_id)),),
            ORGANISATION_AGENT,
        )
    disposed = (
        Tombstone.objects.filter(
            channel=channel, created_on_platform_at__gte=start, created_on_platform_at__lt=end
        )
        .order_by("pk")
        .values_list(
            "pk",
            "item_id",
            "disposed_at",
            "decision_reference",
            "retention_class_name",
            "version_hashes",
        )
    )
    for pk, item_id, disposed_at, reference, class_name, hashes in disposed.iterator():
        yield Event(
            f"disposal-{pk}",
            "deletion",
            disposed_at.isoformat(),
            f"Disposed of (gallrad) by retention class {class_name}, decision {reference}",
            "success",
            "SHA-256 of the destroyed versions: "
            + ", ".join(f"{k}={v}" for k, v in sorted(hashes.items())),
            (("kanalvakt-item", str(item_id)),),
            ORGANISATION_AGENT,
        )
