"""Use cases of requests for public records: receive, select, review, mask, deliver, close.

Every change is an action (audited with the change). The legal hold follows the
selection: a new hold is placed for the new set of items before the old one is released,
so the items are never unprotected in between (ADR 0107).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.archive.models import Item, ItemVersion, Media
from kanalvakt.archive.public_rules import public_items
from kanalvakt.core.actions import action
from kanalvakt.organisation.access import SystemActor
from kanalvakt.records import access_masking as masking
from kanalvakt.records.access_models import (
    AccessDelivery,
    AccessRequest,
    AccessRequestItem,
    MaskedCopy,
)

VIEW = "records.view_accessrequest"
ADD = "records.add_accessrequest"
HANDLE = "records.handle_accessrequest"

MAX_DESCRIPTION = 5000
MAX_RECORD_REFS = 2000
MAX_REFERENCED_ITEMS = 50
# The appeal time is three weeks from the day the requester got the decision; the hold
# stays a week longer for delivery by post and an appeal sent on the last day (ADR 0107).
DEFAULT_HOLD_AFTER_DECISION_DAYS = 28

HOLD_ACTOR = SystemActor("access-request")
Decision = AccessRequestItem.Decision


def hold_after_decision() -> timedelta:
    days = getattr(settings, "ACCESS_REQUEST_HOLD_AFTER_DECISION_DAYS", None)
    return timedelta(days=DEFAULT_HOLD_AFTER_DECISION_DAYS if days is None else days)


def parse_record_refs(value: str) -> list[int]:
    """Item ids from pasted public record addresses (…/handling/12/) or bare numbers."""
    ids = [int(n) for n in re.findall(r"(?:/handling/)?\b(\d{1,12})\b", value)]
    return list(dict.fromkeys(ids))[:MAX_REFERENCED_ITEMS]


def _clean_intake(description, record_refs, contact_email, delivery):
    description = description.strip()
    record_refs = record_refs.strip()
    contact_email = contact_email.strip()
    if not description and not record_refs:
        raise ValidationError(_("Describe what you want to see."))
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(
            _("Describe the request in at most %(n)s characters.") % {"n": MAX_DESCRIPTION}
        )
    if len(record_refs) > MAX_RECORD_REFS:
        raise ValidationError(_("The list of records is too long."))
    if delivery not in AccessRequest.Delivery.values:
        raise ValidationError(_("Choose how you want to get the records."))
    if delivery == AccessRequest.Delivery.EMAIL:
        try:
            validate_email(contact_email)
        except ValidationError:
            raise ValidationError(_("Enter a valid e-mail address for the delivery.")) from None
    else:
        contact_email = ""
    return description, record_refs, contact_email


@action("records.access.receive", permission=ADD)
def receive_request(
    ctx,
    *,
    description: str,
    record_refs: str = "",
    contact_email: str = "",
    delivery: str = AccessRequest.Delivery.PICKUP,
    source: str = AccessRequest.Source.PUBLIC_FORM,
):
    """Register a request; its clock starts now. No identity is asked (TF 2 kap. 18 §)."""
    description, record_refs, contact_email = _clean_intake(
        description, record_refs, contact_email, delivery
    )
    if source not in AccessRequest.Source.values:
        raise ValidationError(_("Choose how the request was received."))
    now = timezone.now()
    request = AccessRequest.objects.create(
        description=description or _("(see the listed records)"),
        record_refs=record_refs,
        delivery=delivery,
        contact_email=contact_email,
        source=source,
        received_at=now,
        registered_by=ctx.user,
    )
    request.reference = f"BAH-{now:%Y}-{request.pk:05d}"
    request.save(update_fields=["reference"])
    items = Item.objects.filter(pk__in=parse_record_refs(record_refs))
    if source == AccessRequest.Source.PUBLIC_FORM:
        items = public_items(items)  # the public form reveals nothing about other items
    for item in items:
        AccessRequestItem.objects.create(request=request, item=item)
    ctx.audit(
        request,
        {
            "reference": request.reference,
            "source": source,
            "delivery": delivery,
            "items": sorted(i.pk for i in items),
        },
    )
    _sync_hold(request)
    return request


def _require_open(request: AccessRequest):
    if request.state == AccessRequest.State.CLOSED:
        raise ValidationError(_("The request is closed."))


def _take(ctx, request: AccessRequest):
    if request.handler_id is None and getattr(ctx.actor, "pk", None):
        request.handler = ctx.actor
        request.save(update_fields=["handler"])


@action("records.access.select", permission=HANDLE)
def select_items(ctx, request: AccessRequest, item_ids: list[int]):
    _require_open(request)
    items = list(Item.objects.filter(pk__in=item_ids))
    if not items:
        raise ValidationError(_("Choose at least one item."))
    added = []
    for item in items:
        _row, created = AccessRequestItem.objects.get_or_create(request=request, item=item)
        if created:
            added.append(item.pk)
    _take(ctx, request)
    ctx.audit(request, {"added": sorted(added)})
    _sync_hold(request)
    return added


@action("records.access.deselect", permission=HANDLE)
def remove_item(ctx, request_item: AccessRequestItem):
    request = request_item.request
    _require_open(request)
    item_id = request_item.item_id
    request_item.delete()
    ctx.audit(request, {"removed": item_id})
    _sync_hold(request)


@action("records.access.review", permission=HANDLE)
def review_item(ctx, request_item: AccessRequestItem, *, decision: str, provision: str = ""):
    """The confidentiality review of one item (OSL): release, release masked, withhold."""
    _require_open(request_item.request)
    if decision not in (Decision.RELEASE, Decision.RELEASE_MASKED, Decision.WITHHOLD):
        raise ValidationError(_("Choose a decision for the item."))
    # Release needs no provision; anything kept back must name the one it follows from.
    provision = "" if decision == Decision.RELEASE else masking.clean_provision(provision)
    request_item.decision = decision
    request_item.provision = provision
    request_item.reviewed_by = ctx.user
    request_item.reviewed_at = timezone.now()
    request_item.save(update_fields=["decision", "provision", "reviewed_by", "reviewed_at"])
    _take(ctx, request_item.request)
    ctx.audit(
        request_item.request,
        {"item": request_item.item_id, "decision": decision, "provision": provision},
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _original_fields(item: Item) -> dict[str, str]:
    return {"title": item.title, "text": item.display_text, "author": item.author_display_name}


def _original_hash(item: Item) -> str:
    # The hash of the archived version the integrity log references.
    version = ItemVersion.objects.filter(item=item).order_by("-number").first()
    return version.sha256 if version else item.content_hash


@action("records.access.mask_text", permission=HANDLE)
def mask_text(ctx, request_item: AccessRequestItem, *, snippets: str, provision: str):
    """Mask every occurrence of the snippets in the item's text, title and author name,
    on top of what was masked before; the item is then released masked."""
    _require_open(request_item.request)
    provision = masking.clean_provision(provision)
    wanted = masking.parse_snippets(snippets)
    item = request_item.item
    fields = _original_fields(item)
    if not any(masking.find_spans(value, wanted) for value in fields.values()):
        raise ValidationError(_("The text to mask was not found in the item."))
    previous = request_item.latest_text_copy()
    masked, regions = masking.mask_fields(
        fields, wanted, provision, previous.regions if previous else ()
    )
    copy = MaskedCopy.objects.create(
        request_item=request_item,
        kind=MaskedCopy.Kind.TEXT,
        provision=provision,
        regions=regions,
        snippets_count=len(wanted),
        masked_title=masked["title"],
        masked_text=masked["text"],
        masked_author=masked["author"],
        original_sha256=_original_hash(item),
        masked_sha256=_sha256(json.dumps(masked, sort_keys=True).encode()),
        created_by=ctx.user,
        created_at=timezone.now(),
    )
    _mark_masked(ctx, request_item, provision)
    # The audit names the offsets and hashes, never the masked words themselves.
    ctx.audit(
        request_item.request,
        {
            "item": item.pk,
            "masked_copy": copy.pk,
            "regions": len(regions),
            "provision": provision,
            "original_sha256": copy.original_sha256,
            "masked_sha256": copy.masked_sha256,
        },
    )
    return copy


def also_found_in(request_item: AccessRequestItem, snippets: str) -> list[int]:
    """Ids of the request's other items, not withheld, whose delivered text would still
    contain one of the snippets: masking is per item, so the handler is told."""
    try:
        wanted = masking.parse_snippets(snippets)
    except ValidationError:
        return []
    found = []
    others = request_item.request.items.exclude(pk=request_item.pk).exclude(
        decision=Decision.WITHHOLD
    )
    for row in others.select_related("item"):
        copy = row.latest_text_copy() if row.decision == Decision.RELEASE_MASKED else None
        fields = (
            [copy.masked_title, copy.masked_text, copy.masked_author]
            if copy
            else list(_original_fields(row.item).values())
        )
        if any(masking.find_spans(value, wanted) for value in fields):
            found.append(row.item_id)
    return found


def _mark_masked(ctx, request_item, provision):
    if request_item.decision in (Decision.PENDING, Decision.RELEASE):
        request_item.decision = Decision.RELEASE_MASKED
        request_item.provision = provision
        request_item.reviewed_by = ctx.user
        request_item.reviewed_at = timezone.now()
        request_item.save(update_fields=["decision", "provision", "reviewed_by", "reviewed_at"])
    _take(ctx, request_item.request)


@action("records.access.mask_image", permission=HANDLE)
def mask_image(
    ctx, request_item: AccessRequestItem, media: Media, *, rectangles: str, provision: str
):
    """Burn black areas into a new copy of the image (the original file is untouched);
    areas add up over repeated maskings, always drawn on the original."""
    from django.core.files.storage import default_storage

    from kanalvakt.screenshots.storage import read

    _require_open(request_item.request)
    if media.item_id != request_item.item_id or not media.file:
        raise ValidationError(_("The image is not part of this item or was never fetched."))
    provision = masking.clean_provision(provision)
    areas = masking.parse_rectangles(rectangles)
    previous = request_item.latest_image_copies().get(media.pk)
    all_areas = [tuple(a) for a in previous.regions] if previous else []
    all_areas += areas
    original = read(media.file)
    data = masking.burn_rectangles(original, all_areas)
    digest = _sha256(data)
    name = f"access/masked/{digest[:2]}/{digest}.png"
    if not default_storage.exists(name):
        default_storage.save(name, _content(data))
    copy = MaskedCopy.objects.create(
        request_item=request_item,
        kind=MaskedCopy.Kind.IMAGE,
        media=media,
        provision=provision,
        regions=[list(a) for a in all_areas],
        file=name,
        original_sha256=media.sha256 or _sha256(original),
        masked_sha256=digest,
        created_by=ctx.user,
        created_at=timezone.now(),
    )
    _mark_masked(ctx, request_item, provision)
    ctx.audit(
        request_item.request,
        {
            "item": request_item.item_id,
            "media": media.pk,
            "masked_copy": copy.pk,
            "areas": len(all_areas),
            "provision": provision,
            "original_sha256": copy.original_sha256,
            "masked_sha256": digest,
        },
    )
    return copy


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)


@action("records.access.deliver", permission=HANDLE)
def deliver(ctx, request: AccessRequest):
    """Produce the PDF, the CSV and (if anything is withheld or masked) the decision;
    send them by e-mail when the requester gave an address."""
    from kanalvakt.records import access_delivery

    _require_open(request)
    rows = list(request.items.select_related("item__channel"))
    if not rows:
        raise ValidationError(_("Select the items the request concerns first."))
    if any(row.decision == Decision.PENDING for row in rows):
        raise ValidationError(_("Review every selected item before delivering."))
    for row in rows:
        if row.decision == Decision.RELEASE_MASKED and not row.masked_copies.exists():
            raise ValidationError(
                _("Item %(id)s is to be released masked but nothing is masked yet.")
                % {"id": row.item_id}
            )
    now = timezone.now()
    documents = access_delivery.build_documents(request, rows, now)
    stored = {key: access_delivery.store(request, key, data) for key, data in documents.files()}
    delivery = AccessDelivery.objects.create(
        request=request,
        created_at=now,
        created_by=ctx.user,
        pdf_file=stored["pdf"][0],
        pdf_sha256=stored["pdf"][1],
        csv_file=stored["csv"][0],
        csv_sha256=stored["csv"][1],
        decision_file=stored.get("decision", ("", ""))[0],
        decision_sha256=stored.get("decision", ("", ""))[1],
        released_count=documents.released,
        withheld_count=documents.withheld,
        masked_count=documents.masked,
        emailed_to=request.contact_email
        if request.delivery == AccessRequest.Delivery.EMAIL
        else "",
    )
    request.state = AccessRequest.State.DELIVERED
    if delivery.has_decision:
        request.decided_at = now
    request.save(update_fields=["state", "decided_at"])
    _take(ctx, request)
    if delivery.emailed_to:
        access_delivery.mail_delivery(delivery, documents)
    ctx.audit(
        request,
        {
            "delivery": delivery.pk,
            "pdf_sha256": delivery.pdf_sha256,
            "csv_sha256": delivery.csv_sha256,
            "decision_sha256": delivery.decision_sha256,
            "released": delivery.released_count,
            "masked": delivery.masked_count,
            "withheld": delivery.withheld_count,
            "emailed": bool(delivery.emailed_to),
        },
    )
    return delivery


@action("records.access.close", permission=HANDLE)
def close_request(ctx, request: AccessRequest):
    """Close; the hold stays until the appeal time after the decision has passed."""
    _require_open(request)
    if request.state != AccessRequest.State.DELIVERED:
        raise ValidationError(_("Deliver the records before closing the request."))
    request.state = AccessRequest.State.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["state", "closed_at"])
    ctx.audit(request, {"decided_at": request.decided_at})
    if hold_release_due(request, request.closed_at):
        _release_hold(request, _("Request closed; nothing withheld to appeal."))


def hold_release_due(request: AccessRequest, now) -> bool:
    if request.state != AccessRequest.State.CLOSED or request.hold_released_at:
        return False
    return request.decided_at is None or request.decided_at + hold_after_decision() <= now


def release_due_holds(now=None) -> int:
    """Scheduled: release the holds of closed requests whose appeal time has passed."""
    now = now or timezone.now()
    count = 0
    candidates = AccessRequest.objects.filter(
        state=AccessRequest.State.CLOSED, hold_released_at__isnull=True
    )
    for request in candidates:
        if hold_release_due(request, now):
            release_access_hold(HOLD_ACTOR, request)
            count += 1
    return count


@action("records.access.release_hold", permission=HANDLE)
def release_access_hold(ctx, request: AccessRequest):
    _release_hold(request, _("The appeal time after the decision has passed."))
    ctx.audit(request, {"hold": request.legal_hold_id})


# --- the legal hold (records.holds belongs to the retention part) -------------------------


def _sync_hold(request: AccessRequest) -> None:
    """Make the request's hold cover exactly its selected items: place the new hold
    first, then release the old, so nothing is unprotected in between."""
    from kanalvakt.records import holds

    wanted = sorted(request.items.values_list("item_id", flat=True))
    if wanted == sorted(request.held_item_ids) and (request.legal_hold_id or not wanted):
        return
    old_id = request.legal_hold_id
    new_hold = None
    if wanted:
        new_hold = holds.place_hold(
            HOLD_ACTOR,
            reason=_("Request for public records %(ref)s") % {"ref": request.reference},
            reference=request.reference,
            item_ids=wanted,
        )
    if old_id and request.legal_hold.in_force:
        holds.release_hold(
            HOLD_ACTOR, request.legal_hold, reason=_("Replaced: the selection changed.")
        )
    request.legal_hold = new_hold
    request.held_item_ids = wanted
    request.save(update_fields=["legal_hold", "held_item_ids"])


def _release_hold(request: AccessRequest, reason: str) -> None:
    from kanalvakt.records import holds

    if request.legal_hold_id and request.legal_hold.in_force:
        holds.release_hold(HOLD_ACTOR, request.legal_hold, reason=reason)
    request.hold_released_at = timezone.now()
    request.save(update_fields=["hold_released_at"])
