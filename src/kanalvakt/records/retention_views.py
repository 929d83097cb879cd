"""Staff pages of retention (R7.1): classes, disposal runs and their review, legal holds.

The archivist configures classes, proposes and decides runs, and holds; the registrar
places and releases holds; the auditor reads everything. Every change goes through the
actions in records.retention / records.holds.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.audit import log as audit_log
from kanalvakt.core.views_access import requires
from kanalvakt.organisation import access
from kanalvakt.records import holds, retention
from kanalvakt.records.retention_forms import (
    DecisionForm,
    HoldForm,
    ReasonForm,
    RetentionClassForm,
)
from kanalvakt.records.retention_models import (
    DisposalCandidate,
    DisposalRun,
    LegalHold,
    RetentionClass,
)

PAGE_SIZE = 50


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@requires("records.view_retentionclass")
def retention_overview(request):
    runs = DisposalRun.objects.order_by("-proposed_at", "-pk")
    return render(
        request,
        "records/retention_overview.html",
        {
            "classes": RetentionClass.objects.all(),
            "open_run": retention.open_run(),
            "runs": Paginator(runs, PAGE_SIZE).get_page(request.GET.get("sida")),
            "can_change": access.can(request.user, "records.change_retentionclass"),
            "can_propose": access.can(request.user, "records.add_disposalrun"),
            "holds_in_force": LegalHold.objects.filter(released_at__isnull=True).count(),
        },
    )


@requires("records.change_retentionclass")
def retention_class_edit(request, pk):
    cls = get_object_or_404(RetentionClass, pk=pk)
    fields = ["name", "kinds", "author_scope", "period_months", "decision_reference", "active",
              "note"]  # fmt: skip
    if request.method == "POST":
        form = RetentionClassForm(request.POST)
        if form.is_valid():
            changed = {
                name: form.cleaned_data[name]
                for name in fields
                if form.cleaned_data[name] != getattr(cls, name)
            }
            if changed:
                try:
                    retention.change_class(request.user, cls, **changed)
                except ValidationError as error:
                    form.add_error(None, _errors(error))
                else:
                    messages.success(request, _("The retention class was saved."))
                    return redirect("records:retention")
            else:
                return redirect("records:retention")
    else:
        form = RetentionClassForm(initial={name: getattr(cls, name) for name in fields})
    return render(request, "records/retention_class_form.html", {"form": form, "cls": cls})


@require_POST
@requires("records.add_disposalrun")
def disposal_propose(request):
    try:
        run = retention.propose_run(request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("records:retention")
    messages.success(
        request,
        _("Disposal proposed: %(count)s items to review.") % {"count": run.candidate_count},
    )
    return redirect("records:disposal_run", pk=run.pk)


@requires("records.view_disposalrun")
def disposal_run(request, pk, form=None):
    run = get_object_or_404(DisposalRun, pk=pk)
    sample = retention.sample(run)
    if sample:  # the sample shows archived text: a sensitive read
        with transaction.atomic():
            audit_log.record(
                request.user, "records.disposal.view_sample", run,
                {"items": [c.item_id for c in sample]},
            )  # fmt: skip
    can_decide = (
        run.state == DisposalRun.State.PROPOSED
        and access.can(request.user, "records.approve_disposalrun")
        and run.proposed_by_id != request.user.pk
    )
    skipped = (
        DisposalCandidate.objects.filter(run=run, state=DisposalCandidate.State.SKIPPED)
        .values("skip_reason")
        .annotate(n=Count("pk"))
        .order_by("skip_reason")
    )
    return render(
        request,
        "records/disposal_run.html",
        {
            "run": run,
            "sample": sample,
            "skipped": list(skipped),
            "can_decide": can_decide,
            "own_proposal": run.proposed_by_id is not None
            and run.proposed_by_id == request.user.pk,
            "form": form or DecisionForm(),
        },
        status=400 if form is not None else 200,
    )


@require_POST
@requires("records.approve_disposalrun")
def disposal_decide(request, pk):
    run = get_object_or_404(DisposalRun, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return disposal_run(request, pk, form=form)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        retention.decide_run(
            request.user, run, approve=approve, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        form.add_error(None, _errors(error))
        return disposal_run(request, pk, form=form)
    if approve:
        messages.success(request, _("The disposal was approved and is being carried out."))
    else:
        messages.success(request, _("The disposal proposal was rejected."))
    return redirect("records:disposal_run", pk=run.pk)


@requires("records.view_legalhold")
def hold_list(request):
    show = request.GET.get("visa", "")
    hold_rows = (
        LegalHold.objects.select_related("channel")
        .annotate(item_count=Count("held_items"))
        .order_by("-placed_at", "-pk")
    )
    if show != "alla":
        hold_rows = hold_rows.filter(released_at__isnull=True)
    return render(
        request,
        "records/hold_list.html",
        {
            "page": Paginator(hold_rows, PAGE_SIZE).get_page(request.GET.get("sida")),
            "show_all": show == "alla",
            "can_place": access.can(request.user, "records.add_legalhold"),
            "can_release": access.can(request.user, "records.release_legalhold"),
            "release_form": ReasonForm(),
        },
    )


@requires("records.add_legalhold")
def hold_place(request):
    if request.method == "POST":
        form = HoldForm(request.POST)
        if form.is_valid():
            try:
                hold = holds.place_hold(request.user, **form.action_arguments())
            except ValidationError as error:
                for field, problems in getattr(
                    error, "message_dict", {None: error.messages}
                ).items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(
                    request, _("Legal hold %(reference)s placed.") % {"reference": hold.reference}
                )
                return redirect("records:holds")
    else:
        ids = request.GET.getlist("item")
        form = HoldForm(initial={"item_ids": " ".join(i for i in ids if i.isdigit())})
    return render(request, "records/hold_form.html", {"form": form})


@require_POST
@requires("records.release_legalhold")
def hold_release(request, pk):
    hold = get_object_or_404(LegalHold, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            holds.release_hold(request.user, hold, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request, _("Legal hold %(reference)s released.") % {"reference": hold.reference}
            )
    else:
        messages.error(request, _("Say why the hold is released."))
    return redirect("records:holds")
