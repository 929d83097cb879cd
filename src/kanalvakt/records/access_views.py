"""Staff pages of access requests: the list with clocks, intake, and the handler's page
(search and select items, review, mask, deliver, close). Plain forms; no script needed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kanalvakt.archive.models import Media
from kanalvakt.archive.search import SearchFilters, search
from kanalvakt.audit import log as audit_log
from kanalvakt.core.views_access import requires
from kanalvakt.organisation.access import holds
from kanalvakt.records import access_actions as actions
from kanalvakt.records import access_delivery
from kanalvakt.records.access_clock import clock_for, overdue_after
from kanalvakt.records.access_masking import COMMON_PROVISIONS
from kanalvakt.records.access_models import AccessDelivery, AccessRequest, AccessRequestItem

MAX_QUERY_LENGTH = 200


@require_safe
@requires(actions.VIEW)
def request_list(request):
    show_all = request.GET.get("visa") == "alla"
    requests = AccessRequest.objects.order_by("received_at", "pk")
    if not show_all:
        requests = requests.exclude(state=AccessRequest.State.CLOSED)
    rows = [{"req": r, "clock": clock_for(r)} for r in requests.prefetch_related("items")[:500]]
    return render(
        request,
        "records/access_list.html",
        {
            "rows": rows,
            "show_all": show_all,
            "overdue_hours": int(overdue_after().total_seconds() // 3600),
        },
    )


@requires(actions.ADD)
def request_create(request):
    values = {
        "description": "",
        "record_refs": "",
        "contact_email": "",
        "delivery": "pickup",
        "source": AccessRequest.Source.EMAIL,
    }
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        try:
            created = actions.receive_request(request.user, **values)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Registered as %(ref)s.") % {"ref": created.reference})
            return redirect("records:access_request", pk=created.pk)
    sources = [c for c in AccessRequest.Source.choices if c[0] != AccessRequest.Source.PUBLIC_FORM]
    return render(request, "records/access_create.html", {"values": values, "sources": sources})


def _search_hits(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    if not query:
        return query, None
    # Staff search: every archived item, also those not shown publicly.
    return query, search(query, SearchFilters(), request.GET.get("efter") or None,
                         public_only=False)  # fmt: skip


@require_safe
@requires(actions.VIEW)
def request_detail(request, pk):
    req = get_object_or_404(AccessRequest, pk=pk)
    rows = list(req.items.select_related("item__channel").prefetch_related("masked_copies"))
    for row in rows:
        row.text_copy = row.latest_text_copy()
        row.image_copies = row.latest_image_copies()
        row.images = [
            {"media": m, "copy": row.image_copies.get(m.pk)}
            for m in Media.objects.filter(item=row.item).exclude(file="")
            if m.mime_type.startswith("image/")
        ]
    query, page = _search_hits(request)
    selected = {row.item_id for row in rows}
    return render(
        request,
        "records/access_detail.html",
        {
            "req": req,
            "clock": clock_for(req),
            "rows": rows,
            "query": query,
            "page": page,
            "selected": selected,
            "deliveries": req.deliveries.all(),
            "provisions": COMMON_PROVISIONS,
            "decisions": [c for c in AccessRequestItem.Decision.choices if c[0] != "pending"],
            "can_handle": holds(request.user, actions.HANDLE),
            "is_open": req.state != AccessRequest.State.CLOSED,
        },
    )


def _run(request, pk, fn, success: str):
    try:
        fn()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("records:access_request", pk=pk)


def _provision(request) -> str:
    return (request.POST.get("provision_other") or request.POST.get("provision", "")).strip()


@require_POST
@requires(actions.HANDLE)
def select_items(request, pk):
    req = get_object_or_404(AccessRequest, pk=pk)
    ids = [int(v) for v in request.POST.getlist("item") if v.isdigit()]
    return _run(
        request, pk, lambda: actions.select_items(request.user, req, ids), _("Items selected.")
    )


def _row(pk, row_pk) -> AccessRequestItem:
    return get_object_or_404(
        AccessRequestItem.objects.select_related("request", "item"), pk=row_pk, request_id=pk
    )


@require_POST
@requires(actions.HANDLE)
def remove_item(request, pk, row_pk):
    row = _row(pk, row_pk)
    return _run(request, pk, lambda: actions.remove_item(request.user, row), _("Item removed."))


@require_POST
@requires(actions.HANDLE)
def review_item(request, pk, row_pk):
    row = _row(pk, row_pk)
    return _run(
        request,
        pk,
        lambda: actions.review_item(
            request.user,
            row,
            decision=request.POST.get("decision", ""),
            provision=_provision(request),
        ),
        _("Review saved."),
    )


@require_POST
@requires(actions.HANDLE)
def mask_text(request, pk, row_pk):
    row = _row(pk, row_pk)
    snippets = request.POST.get("snippets", "")
    response = _run(
        request,
        pk,
        lambda: actions.mask_text(
            request.user, row, snippets=snippets, provision=_provision(request)
        ),
        _("The text was masked in a copy; the original is unchanged."),
    )
    if others := actions.also_found_in(row, snippets):
        messages.warning(
            request,
            _("The same text is also in record %(ids)s of this request: mask it there too.")
            % {"ids": ", ".join(str(i) for i in others)},
        )
    return response


@require_POST
@requires(actions.HANDLE)
def mask_image(request, pk, row_pk, media_pk):
    row = _row(pk, row_pk)
    media = get_object_or_404(Media, pk=media_pk, item_id=row.item_id)
    return _run(
        request,
        pk,
        lambda: actions.mask_image(
            request.user,
            row,
            media,
            rectangles=request.POST.get("rectangles", ""),
            provision=_provision(request),
        ),
        _("The image was masked in a copy; the original is unchanged."),
    )


@require_POST
@requires(actions.HANDLE)
def deliver(request, pk):
    req = get_object_or_404(AccessRequest, pk=pk)
    return _run(
        request, pk, lambda: actions.deliver(request.user, req), _("The delivery is ready.")
    )


@require_POST
@requires(actions.HANDLE)
def close(request, pk):
    req = get_object_or_404(AccessRequest, pk=pk)
    return _run(
        request, pk, lambda: actions.close_request(request.user, req), _("The request is closed.")
    )


FILES = {
    "pdf": ("pdf_file", "application/pdf"),
    "csv": ("csv_file", "text/csv; charset=utf-8"),
    "decision": ("decision_file", "application/pdf"),
}


@require_safe
@requires(actions.VIEW)
def delivery_file(request, pk, kind):
    if kind not in FILES:
        raise Http404
    delivery = get_object_or_404(AccessDelivery.objects.select_related("request"), pk=pk)
    field, content_type = FILES[kind]
    name = getattr(delivery, field)
    if not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    with transaction.atomic():  # a sensitive read: who took which document, audited
        audit_log.record(request.user, "records.access.download", delivery.request, {"file": kind})
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=True,
        filename=access_delivery.filename(delivery.request, kind),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@requires(actions.VIEW)
def masked_image(request, pk, copy_pk):
    """The masked copy of an image, for the handler to check before delivering."""
    from kanalvakt.records.access_models import MaskedCopy

    copy = get_object_or_404(
        MaskedCopy, pk=copy_pk, kind=MaskedCopy.Kind.IMAGE, request_item__request_id=pk
    )
    try:
        handle = default_storage.open(copy.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
