"""Legal hold (R7.1): items that must not be disposed of while a hold is in force.

A hold covers explicit items and/or every item of a channel created on the platform within
a date range. `held_items_q()` is the one definition of "held", as a filter on Item, so the
disposal proposal and execution test it in SQL (no loop over items); `held_item_ids()` is
the same as a set for callers that have a handful of ids.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.archive.models import Item
from kanalvakt.core.actions import action
from kanalvakt.records.retention_models import LegalHold, LegalHoldItem


def held_items_q() -> Q:
    """Items covered by a hold in force, as a filter on Item (a set-based subquery)."""
    explicit = LegalHoldItem.objects.filter(hold__released_at__isnull=True).values("item_id")
    by_channel = LegalHold.objects.filter(
        released_at__isnull=True, channel_id=OuterRef("channel_id")
    ).filter(
        Q(start__isnull=True) | Q(start__lte=OuterRef("created_on_platform_at")),
        Q(end__isnull=True) | Q(end__gte=OuterRef("created_on_platform_at")),
    )
    return Q(pk__in=explicit) | Q(Exists(by_channel))


def held_item_ids(item_ids=None) -> set[int]:
    """Ids of the items (of `item_ids`, or all) a hold in force covers."""
    items = Item.objects.filter(held_items_q())
    if item_ids is not None:
        item_ids = list(item_ids)
        if not item_ids:
            return set()
        items = items.filter(pk__in=item_ids)
    return set(items.values_list("pk", flat=True))


def holds_for_item(item) -> list[LegalHold]:
    """The holds in force that cover `item`."""
    return list(
        LegalHold.objects.filter(released_at__isnull=True)
        .filter(
            Q(held_items__item=item)
            | Q(
                Q(channel_id=item.channel_id),
                Q(start__isnull=True) | Q(start__lte=item.created_on_platform_at),
                Q(end__isnull=True) | Q(end__gte=item.created_on_platform_at),
            )
        )
        .distinct()
        .order_by("placed_at", "pk")
    )


@action("records.hold.place", permission="records.add_legalhold", target=None)
def place_hold(
    ctx, *, reason: str, reference: str, item_ids=None, channel=None, start=None, end=None
) -> LegalHold:
    """Place a hold on explicit items and/or a channel (optionally within [start, end])."""
    reason, reference = (reason or "").strip(), (reference or "").strip()
    item_ids = sorted({int(i) for i in (item_ids or [])})
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the items are held.")
    if not reference:
        errors["reference"] = _("Give the case or request number the hold is for.")
    if not item_ids and channel is None:
        errors["channel"] = _("Choose a channel or give the items to hold.")
    if channel is None and (start or end):
        errors["channel"] = _("A date range needs a channel.")
    if start and end and start > end:
        errors["end"] = _("The end of the range is before its start.")
    if item_ids:
        found = set(Item.objects.filter(pk__in=item_ids).values_list("pk", flat=True))
        missing = [str(i) for i in item_ids if i not in found]
        if missing:
            errors["item_ids"] = _("No archived item has the id %(ids)s.") % {
                "ids": ", ".join(missing[:10])
            }
    if errors:
        raise ValidationError(errors)
    hold = LegalHold.objects.create(
        reason=reason,
        reference=reference,
        channel=channel,
        start=start,
        end=end,
        placed_by=ctx.user,
        placed_by_label=ctx.actor_label,
    )
    LegalHoldItem.objects.bulk_create(
        [LegalHoldItem(hold=hold, item_id=i) for i in item_ids], batch_size=1000
    )
    ctx.audit(
        hold,
        {
            "reason": reason,
            "reference": reference,
            "items": item_ids[:1000],
            "item_count": len(item_ids),
            "channel": channel.pk if channel else None,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
    )
    return hold


@action("records.hold.release", permission="records.release_legalhold", target=None)
def release_hold(ctx, hold: LegalHold, *, reason: str) -> LegalHold:
    reason = (reason or "").strip()
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise ValidationError(_("This hold has already been released."))
    if not reason:
        raise ValidationError({"reason": _("Say why the hold is released.")})
    hold.released_at = timezone.now()
    hold.released_by_label = ctx.actor_label
    hold.release_reason = reason
    hold.save(update_fields=["released_at", "released_by_label", "release_reason"])
    ctx.audit(hold, {"reason": reason, "reference": hold.reference})
    return hold
