"""Staff pages of registration (R7.4, R7.6): the list, a new registration, one
registration with its register, confidentiality and hand-off forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.archive.models import Item
from kanalvakt.core.views_access import requires
from kanalvakt.organisation import access
from kanalvakt.records import registration as actions
from kanalvakt.records.registration_forms import (
    ConfidentialForm,
    CreateForm,
    DetailsForm,
    parse_item_ids,
)
from kanalvakt.records.registration_models import Registration

PAGE_SIZE = 50


@requires(actions.VIEW)
def registration_list(request):
    registrations = Registration.objects.annotate(
        item_count=Count("links"),
        pending_first=Case(
            When(state=Registration.State.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("pending_first", "-requested_at", "-pk")
    state = request.GET.get("state", "")
    if state in Registration.State.values:
        registrations = registrations.filter(state=state)
    case_number = " ".join(request.GET.get("diarienummer", "").split())
    if case_number:
        registrations = registrations.filter(case_number__icontains=case_number)
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "records/registration_list.html",
        {
            "page": page,
            "state": state,
            "states": Registration.State.choices,
            "case_number": case_number,
            "can_add": access.can(request.user, actions.CHANGE),
        },
    )


def _initial_details(items: list[Item]) -> dict:
    if not items:
        return {"direction": Registration.Direction.RECEIVED}
    defaults = actions.suggested_details(items)
    return {**defaults, "description": ""}


@requires(actions.CHANGE)
def registration_create(request):
    """GET ?item=<id> (repeated) preselects archived items; POST registers them."""
    if request.method == "POST":
        form = CreateForm(request.POST, items=request.POST.getlist("item"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = actions.register(
                    request.user,
                    items=data["items"],
                    case_number=data["case_number"],
                    received_on=data["received_on"],
                    direction=data["direction"],
                    sender=data["sender"],
                    description=data["description"],
                    masked=data["masked"],
                    osl_provision=data["osl_provision"],
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Registered to %(case)s.") % {"case": registration.case_number},
                )
                return redirect("records:registration_detail", pk=registration.pk)
        ids, _bad = parse_item_ids(request.POST.getlist("item"))
    else:
        ids, _bad = parse_item_ids(request.GET.getlist("item"))
        known = list(Item.objects.filter(pk__in=ids))
        form = CreateForm(initial=_initial_details(known))
        if _bad or len(known) < len(ids):
            missing = _bad + [str(i) for i in ids if i not in {k.pk for k in known}]
            messages.error(request, _("Unknown item: %(ids)s.") % {"ids": ", ".join(missing)})
    items = Item.objects.filter(pk__in=ids).select_related("channel").order_by("pk")
    return render(request, "records/registration_form.html", {"form": form, "items": items})


def _origin_link(registration: Registration) -> str:
    kind, _sep, ref = registration.origin.partition(":")
    if kind == "moderation" and ref.isdigit():
        try:
            return reverse("moderation:case", args=[int(ref)])
        except NoReverseMatch:
            return ""
    return ""


@requires(actions.VIEW)
def registration_detail(request, pk, details_form=None, confidential_form=None):
    registration = actions.view_registration(request.user, get_object_or_404(Registration, pk=pk))
    items = Item.objects.filter(registration_links__registration=registration).select_related(
        "channel"
    )
    pending = registration.state == Registration.State.PENDING
    can_change = access.can(request.user, actions.CHANGE, registration)
    if pending and details_form is None:
        details_form = DetailsForm(
            initial={
                "received_on": registration.received_on,
                "direction": registration.direction,
                "sender": registration.sender,
                "description": registration.description,
                "masked": registration.masked,
            }
        )
    return render(
        request,
        "records/registration_detail.html",
        {
            "registration": registration,
            "items": items,
            "pending": pending,
            "can_change": can_change,
            "can_hand_off": access.can(request.user, actions.HANDOFF, registration),
            "details_form": details_form if can_change else None,
            "confidential_form": confidential_form
            or ConfidentialForm(initial={"osl_provision": registration.osl_provision}),
            "origin_link": _origin_link(registration),
        },
        status=400 if (details_form and details_form.errors) else 200,
    )


@require_POST
@requires(actions.CHANGE)
def registration_register(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    form = DetailsForm(request.POST)
    if form.is_valid():
        try:
            actions.register(request.user, registration, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(
                request, _("Registered to %(case)s.") % {"case": form.cleaned_data["case_number"]}
            )
            return redirect("records:registration_detail", pk=pk)
    return registration_detail(request, pk, details_form=form)


@require_POST
@requires(actions.CHANGE)
def registration_confidential(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    form = ConfidentialForm(request.POST)
    if form.is_valid():
        try:
            actions.mark_confidential(
                request.user, registration, osl_provision=form.cleaned_data["osl_provision"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The confidentiality mark is saved."))
    return redirect("records:registration_detail", pk=pk)


@require_POST
@requires(actions.HANDOFF)
def registration_handoff(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    method = request.POST.get("method", "")
    try:
        bundle = actions.hand_off(request.user, registration, method=method)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("records:registration_detail", pk=pk)
    if method == Registration.HandOff.FILES:
        response = HttpResponse(bundle.zip_bytes(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{bundle.zip_name()}"'
        return response
    messages.success(request, _("Sent to the registrar."))
    return redirect("records:registration_detail", pk=pk)
