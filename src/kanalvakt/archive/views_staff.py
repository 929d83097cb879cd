"""Staff pages of the archive: search with filters over the channels the user may see,
and one record page per item with its versions, status, thread and integrity proof.

Scope is set-based: the user's visible channels go into the search as a channel filter
(organisation.access.visible_channels), never a permission check per hit. Opening a
record is a sensitive read and is audited (archive.actions.view_record).
"""

from __future__ import annotations

import json
from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kanalvakt.archive import proof
from kanalvakt.archive.actions import VIEW, view_record
from kanalvakt.archive.models import Item, ItemKind, PublicRecordStatus
from kanalvakt.archive.proof import check_proof, item_proof
from kanalvakt.archive.public_rules import is_public
from kanalvakt.archive.search import AWAITING, UNFLAGGED, SearchFilters, search
from kanalvakt.archive.text_diff import word_diff
from kanalvakt.core.views_access import requires
from kanalvakt.organisation import access
from kanalvakt.organisation.roles import ALL
from kanalvakt.records.disposal import tombstone_of
from kanalvakt.records.holds import holds_for_item
from kanalvakt.records.registration import CHANGE as REGISTER
from kanalvakt.records.registration import registrations_for_item
from kanalvakt.registry.models import Platform

MAX_QUERY_LENGTH = 200
MAX_REPLIES = 200
AUTHOR_CHOICES = {"egen": True, "tredje": False}  # URL value -> author_is_owner


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _registration_create_url(user) -> str | None:
    """The registration form, for users who may register."""
    return reverse("records:registration_create") if access.holds(user, REGISTER) else None


def _moderation_choices():
    from kanalvakt.moderation.models import Decision, ModerationCase

    return [
        (UNFLAGGED, _("Never flagged")),
        (AWAITING, ModerationCase.State.OPEN.label),
        *[(value, label) for value, label in Decision.choices],
    ]


def _scoped_channel_ids(user, chosen: int | None) -> list[int] | None:
    """The channel filter for the search: the chosen channel if the user may see it, all
    the user's channels for OWN scope; [] when nothing may be searched; None for no limit."""
    if access.widest_scope(user, VIEW) == ALL:
        return [chosen] if chosen else None
    visible = set(access.visible_channels(user, VIEW).values_list("pk", flat=True))
    if chosen:
        return [chosen] if chosen in visible else []
    return sorted(visible)


@requires(VIEW)
@require_safe
def search_page(request):
    get = request.GET
    query = get.get("q", "")[:MAX_QUERY_LENGTH].strip()
    channel_id = int(get["kanal"]) if get.get("kanal", "").isdigit() else None
    moderation_values = {value for value, _label in _moderation_choices()}
    platform_keys = set(Platform.objects.values_list("key", flat=True))
    filters = SearchFilters(
        # Only known platform keys (slugs): the value becomes a word of the index query.
        platform=get.get("plattform", "") if get.get("plattform") in platform_keys else "",
        kind=get.get("typ", "") if get.get("typ", "") in ItemKind.values else "",
        author_is_owner=AUTHOR_CHOICES.get(get.get("forfattare", "")),
        date_from=_date(get.get("fran", "")),
        date_to=_date(get.get("till", "")),
        moderation=get["moderering"] if get.get("moderering") in moderation_values else "",
        case_number=get.get("diarienummer", "")[:100].strip(),
    )
    scope = _scoped_channel_ids(request.user, channel_id)
    page = None  # scope [] : nothing the user may see; never search without the limit
    if scope != []:
        filters.channel_ids = scope or []
        page = search(query, filters, get.get("efter") or None, public_only=False)
    next_params = None
    if page and page.next_cursor:
        next_params = get.copy()
        next_params["efter"] = page.next_cursor
    channels = access.visible_channels(request.user, VIEW).select_related("platform")
    channels = list(channels.order_by("display_name"))
    context = {
        "query": query,
        "filters": filters,
        "channel_id": channel_id,
        "author": get.get("forfattare", ""),
        "channels": channels,
        "platforms": sorted({(c.platform.key, c.platform.name) for c in channels}),
        "kinds": ItemKind.choices,
        "moderation_choices": _moderation_choices(),
        "hits": page.hits if page else [],
        "next_query": next_params.urlencode() if next_params else "",
        "continued": bool(get.get("efter")),
        "registration_url": _registration_create_url(request.user),
    }
    return render(request, "archive/staff_search.html", context)


def _item_or_404(item_id: int) -> Item:
    related = ("channel__platform", "parent", "root")
    return get_object_or_404(Item.objects.select_related(*related), pk=item_id)


def _versions_with_diffs(item: Item) -> list[dict]:
    rows, previous = [], None
    for version in item.versions.order_by("number"):
        text = version.text_plain or version.text
        diff = word_diff(previous, text) if previous is not None else None
        rows.append({"version": version, "text": text, "diff": diff})
        previous = text
    return rows


def _moderation_case(item: Item):
    from kanalvakt.moderation.models import ModerationCase

    return ModerationCase.objects.filter(item=item).prefetch_related("flags__category").first()


PROOF_PROBLEMS = {
    proof.MALFORMED: _("the proof of this entry is malformed"),
    proof.CONTENT: _("the stored content no longer matches its SHA-256"),
    proof.LEAF: _("the record no longer matches its log entry"),
    proof.NO_HEAD: _("the signed tree head does not verify"),
    proof.PATH: _("the inclusion path does not lead to the signed root hash"),
}


def _proof_rows(document: dict, check) -> list[dict]:
    checks = {(c.kind, c.record_id): c for c in check.records}
    rows = []
    for record in document["records"]:
        result = checks.get((record["kind"], record["id"]))
        problem = PROOF_PROBLEMS.get(result.code, "") if result and not result.ok else ""
        rows.append({"record": record, "ok": bool(result and result.ok), "problem": problem})
    return rows


@requires(VIEW)
@require_safe
def record_page(request, item_id: int):
    from kanalvakt.archive.integrity import public_key

    item = view_record(request.user, _item_or_404(item_id), what="page")
    document = item_proof(item)
    check = check_proof(document, public_key())
    context = {
        "item": item,
        "is_drawn_up": item.public_record_status == PublicRecordStatus.DRAWN_UP,
        "is_received": item.public_record_status == PublicRecordStatus.RECEIVED,
        "shown_publicly": is_public(item),
        "versions": _versions_with_diffs(item),
        "media": list(item.media.order_by("pk")),
        "case": _moderation_case(item),
        "registrations": registrations_for_item(item),
        "holds": holds_for_item(item),
        "tombstone": tombstone_of(item),
        "replies": list(item.children.order_by("created_on_platform_at", "pk")[:MAX_REPLIES]),
        "proof": document,
        "tree_head": document["tree_head"],
        "proof_check": check,
        "proof_rows": _proof_rows(document, check),
        "registration_url": _registration_create_url(request.user),
    }
    return render(request, "archive/staff_record.html", context)


@requires(VIEW)
@require_safe
def proof_download(request, item_id: int):
    item = view_record(request.user, _item_or_404(item_id), what="proof")
    body = json.dumps(item_proof(item), ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="handling-{item.pk}-bevis.json"'
    return response


@requires(VIEW)
@require_safe
def public_key_download(request):
    from kanalvakt.archive.integrity import public_key
    from kanalvakt.archive.tree_head import public_key_pem

    response = HttpResponse(public_key_pem(public_key()), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="kanalvakt-arkiv-publik-nyckel.pem"'
    return response
