"""Registration (diarieföring) of archived items to a case (R7.4, R7.6): the use cases.

    request_registration(actor, items, reason, confidential=True, osl_provision=…)  # pending
    register(actor, registration or items=…, case_number="KS 2026/123", …)       # registered
    mark_confidential(actor, registration, osl_provision="OSL 26 kap. 1 §")
    hand_off(actor, registration, method="email" | "files")  # PDF + JSON + XML

`registered_items()` names the items kept regardless of retention (as a subquery, so
retention filters a million items in SQL). Case numbers follow
settings.RECORDS_CASE_NUMBER_PATTERN (ADR 0105).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.archive.models import Item, PublicRecordStatus
from kanalvakt.core.actions import action
from kanalvakt.records.registration_models import Registration, RegistrationItem

VIEW = "records.view_registration"
ADD = "records.add_registration"
CHANGE = "records.change_registration"
HANDOFF = "records.handoff_registration"

MAX_ITEMS = 200
# The provision moderation proposes for what its confidential-data detector found; the
# registrar reviews it (mark_confidential). Most specific first.
OSL_FOR_RULE = {
    "confidential.third_party_social": "OSL 26 kap. 1 §",  # socialtjänst
    "confidential.third_party_health": "OSL 25 kap. 1 §",  # hälso- och sjukvård
    "confidential.protected_identity": "OSL 21 kap. 3 §",  # skyddade personuppgifter
}
OSL_DEFAULT = "OSL 21 kap. 7 §"  # personuppgifter vars utlämnande strider mot GDPR


def osl_provision_for_rules(rules: Iterable[str]) -> str:
    rules = set(rules)
    return next((osl for rule, osl in OSL_FOR_RULE.items() if rule in rules), OSL_DEFAULT)


def registered_items():
    """Ids of archive items in any registration (pending or registered), as a subquery:
    they are never disposed of."""
    return RegistrationItem.objects.values("item_id")


def registered_item_ids(item_ids=None) -> set[int]:
    """registered_items() as a set; with `item_ids`, only those of them."""
    links = registered_items()
    if item_ids is not None:
        links = links.filter(item_id__in=list(item_ids))
    return {row["item_id"] for row in links}


def confidential_items_q(item_ref: str = "pk") -> Q:
    """Items in a registration marked confidential (for the public archive rules to
    withhold): `item_ref` names the item's primary key in the outer query."""
    marked = RegistrationItem.objects.filter(item=OuterRef(item_ref)).exclude(
        registration__osl_provision=""
    )
    return Q(Exists(marked))


def item_ids_for_case(case_number: str) -> set[int]:
    """Ids of the archive items registered to a case (for the archive search)."""
    case_number = normalise_case_number(case_number)
    return set(
        RegistrationItem.objects.filter(case_number__iexact=case_number).values_list(
            "item_id", flat=True
        )
    )


def registrations_for_item(item: Item) -> list[Registration]:
    """The registrations an archive item belongs to, newest first (for its record page)."""
    return list(Registration.objects.filter(links__item=item).order_by("-requested_at", "-pk"))


def case_number_error(case_number: str) -> str | None:
    """A Swedish message if the case number does not follow the configured format."""
    if not case_number:
        return _("Enter a case number, e.g. %(example)s.") % {
            "example": settings.RECORDS_CASE_NUMBER_EXAMPLE
        }
    if not re.fullmatch(settings.RECORDS_CASE_NUMBER_PATTERN, case_number):
        return _(
            "The case number “%(value)s” does not follow the format of the diary, e.g. %(example)s."
        ) % {"value": case_number, "example": settings.RECORDS_CASE_NUMBER_EXAMPLE}
    return None


def normalise_case_number(value: str) -> str:
    return " ".join((value or "").split())


def _items(items) -> list[Item]:
    """The archive items, each once, in the given order; refuses an empty list."""
    resolved, seen = [], set()
    for item in items or []:
        if not isinstance(item, Item):
            raise ValidationError(_("Unknown item: %(id)s.") % {"id": item})
        if item.pk not in seen:
            seen.add(item.pk)
            resolved.append(item)
    if not resolved:
        raise ValidationError(_("Choose at least one archived item to register."))
    if len(resolved) > MAX_ITEMS:
        raise ValidationError(
            _("At most %(n)s items can be registered at once.") % {"n": MAX_ITEMS}
        )
    return resolved


def _already_in_case(case_number: str, items: list[Item], exclude=None) -> list[int]:
    links = RegistrationItem.objects.filter(case_number=case_number, item__in=items)
    if exclude is not None:
        links = links.exclude(registration=exclude)
    return sorted(links.values_list("item_id", flat=True))


def suggested_details(items: list[Item]) -> dict:
    """Date received, direction and sender as the first item suggests them."""
    first = items[0]
    drawn_up = first.public_record_status == PublicRecordStatus.DRAWN_UP or first.author_is_owner
    return {
        "received_on": timezone.localdate(first.public_record_since or first.captured_at),
        "direction": Registration.Direction.DRAWN_UP
        if drawn_up
        else Registration.Direction.RECEIVED,
        "sender": "" if drawn_up else (first.author_display_name or first.author_handle),
    }


def _snapshot(registration: Registration) -> dict:
    return {
        "state": registration.state,
        "case_number": registration.case_number,
        "items": list(registration.links.values_list("item_id", flat=True)),
        "received_on": registration.received_on,
        "direction": registration.direction,
        "masked": registration.masked,
        "osl_provision": registration.osl_provision,
        "origin": registration.origin,
    }


def _provision(value: str) -> str:
    value = " ".join((value or "").split())[:100]
    if value and not value.upper().startswith("OSL"):
        raise ValidationError(
            _("Give the provision of the Public Access and Secrecy Act, e.g. OSL 26 kap. 1 §.")
        )
    return value


def _mark(ctx, registration: Registration, provision: str, now, *, mask: bool = True) -> None:
    """Set (or with an empty provision lift) the confidentiality mark; the caller saves."""
    registration.osl_provision = provision
    registration.confidential_marked_at = now if provision else None
    registration.confidential_marked_by = ctx.actor_label if provision else ""
    if provision and mask:
        registration.masked = True


@action("records.registration.view", permission=VIEW, target="registration")
def view_registration(ctx, registration: Registration) -> Registration:
    """Record that the actor read a registration: its page shows masked senders and the
    text of confidential items, a sensitive read."""
    ctx.audit(registration, {"confidential": registration.confidential})
    return registration


@action("records.registration.request", permission=ADD)
def request_registration(
    ctx,
    items,
    reason: str,
    *,
    confidential: bool = False,
    osl_provision: str = "",
    origin: str = "",
    description: str = "",
) -> Registration:
    """A pending registration: the items wait for the registrar to give them a case number.
    Confidential material (R7.6) is marked with its OSL provision and masked at once."""
    items = _items(items)
    if confidential and not osl_provision:
        osl_provision = OSL_DEFAULT
    now = timezone.now()
    registration = Registration.objects.create(
        state=Registration.State.PENDING,
        reason=reason,
        origin=origin[:200],
        description=description[:500],
        requested_at=now,
        requested_by=ctx.actor_label,
        masked=bool(osl_provision),
        osl_provision=osl_provision,
        confidential_marked_at=now if osl_provision else None,
        confidential_marked_by=ctx.actor_label if osl_provision else "",
        **suggested_details(items),
    )
    RegistrationItem.objects.bulk_create(
        [RegistrationItem(registration=registration, item=item) for item in items]
    )
    ctx.audit(registration, {**_snapshot(registration), "reason": reason})
    return registration


@action("records.registration.register", permission=CHANGE)
def register(
    ctx,
    registration: Registration | None = None,
    *,
    items=None,
    case_number: str,
    received_on=None,
    direction: str | None = None,
    sender: str | None = None,
    description: str | None = None,
    masked: bool | None = None,
    osl_provision: str | None = None,
) -> Registration:
    """Register items to a case: a pending registration, or a new one for `items`.
    Nothing is stored if the case number, the items or the details are wrong.
    `osl_provision` marks it confidential (and masks it) in the same step."""
    case_number = normalise_case_number(case_number)
    error = case_number_error(case_number)
    if error:
        raise ValidationError(error)
    now = timezone.now()
    if registration is None:
        item_list = _items(items)
        registration = Registration(
            requested_at=now, requested_by=ctx.actor_label, **suggested_details(item_list)
        )
    else:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.state != Registration.State.PENDING:
            raise ValidationError(_("This registration already has a case number."))
        item_list = list(Item.objects.filter(registration_links__registration=registration))
    clash = _already_in_case(
        case_number, item_list, exclude=registration if registration.pk else None
    )
    if clash:
        raise ValidationError(
            _("Already registered to %(case)s: item %(ids)s.")
            % {"case": case_number, "ids": ", ".join(map(str, clash))}
        )
    if direction is not None:
        if direction not in Registration.Direction.values:
            raise ValidationError(_("Choose whether the document was received or drawn up."))
        registration.direction = direction
    for field, value in (("received_on", received_on), ("masked", masked)):
        if value is not None:
            setattr(registration, field, value)
    if sender is not None:
        registration.sender = sender.strip()[:300]
    if description is not None:
        registration.description = description.strip()[:500]
    if osl_provision:
        _mark(ctx, registration, _provision(osl_provision), now)
    if not registration.description:
        raise ValidationError(_("Write a short description of the document."))
    if registration.received_on is None:
        raise ValidationError(_("Enter the date the document was received."))
    registration.state = Registration.State.REGISTERED
    registration.case_number = case_number
    registration.registered_at, registration.registered_by = now, ctx.actor_label
    registration.save()
    if registration.links.exists():
        registration.links.update(case_number=case_number)
    else:
        RegistrationItem.objects.bulk_create(
            [
                RegistrationItem(registration=registration, item=item, case_number=case_number)
                for item in item_list
            ]
        )
    ctx.audit(registration, _snapshot(registration))
    return registration


@action("records.registration.mark_confidential", permission=CHANGE, target="registration")
def mark_confidential(
    ctx, registration: Registration, *, osl_provision: str, mask: bool = True
) -> Registration:
    """Record the confidentiality mark: the OSL provision, when and by whom. An empty
    provision lifts the mark (the audit log keeps the earlier one)."""
    osl_provision = _provision(osl_provision)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    before = registration.osl_provision
    _mark(ctx, registration, osl_provision, timezone.now(), mask=mask)
    registration.save()
    ctx.audit(registration, {"from": before, "to": osl_provision, "masked": registration.masked})
    return registration


@action("records.registration.hand_off", permission=HANDOFF, target="registration")
def hand_off(ctx, registration: Registration, *, method: str = "email"):
    """Hand a registration to the registrar: PDF, JSON and XML, by e-mail (sent when the
    transaction commits) or as files for download. Returns the HandOffBundle."""
    from kanalvakt.records import handoff

    if method not in Registration.HandOff.values:
        raise ValidationError(_("Unknown hand-off method."))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state != Registration.State.REGISTERED:
        raise ValidationError(_("Register the items to a case before handing them off."))
    bundle = handoff.build_bundle(registration)
    recipients = []
    if method == Registration.HandOff.EMAIL:
        recipients = handoff.registrar_addresses()
        if not recipients:
            raise ValidationError(_("No registrar e-mail address is configured."))
        handoff.send_on_commit(bundle, recipients)
    registration.handed_off_at = timezone.now()
    registration.handed_off_how = method
    registration.handed_off_to = ", ".join(recipients)[:500]
    registration.save(update_fields=["handed_off_at", "handed_off_how", "handed_off_to"])
    ctx.audit(
        registration,
        {"method": method, "to": recipients, "files": bundle.digests()},
    )
    return bundle
