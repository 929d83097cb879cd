"""Staff pages of the registry. Each POST calls one action; the action decides and audits."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.core.views_access import requires
from kanalvakt.organisation.access import can, person_of
from kanalvakt.registry import actions, workflow
from kanalvakt.registry.activation import activation_results
from kanalvakt.registry.diff import plan_diff
from kanalvakt.registry.forms import (
    ChannelFilterForm,
    ChannelRequestForm,
    CommentForm,
    ConsultationForm,
    DecisionForm,
    PlanForm,
    ResponsibilityForm,
)
from kanalvakt.registry.models import Channel, Purpose, approver_ids
from kanalvakt.registry.reports import is_inactive, with_update_interval
from kanalvakt.registry.rules import PLAN_FIELDS

LIFECYCLE = {
    "pause": actions.pause_channel,
    "resume": actions.resume_channel,
    "close": actions.close_channel,
}


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return exc.messages


@requires("registry.view_channel")
def channel_list(request):
    form = ChannelFilterForm(request.GET or None)
    channels = with_update_interval(
        Channel.objects.select_related("platform", "org_unit", "responsible")
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .order_by("display_name")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            channels = channels.filter(
                Q(display_name__icontains=data["q"]) | Q(handle__icontains=data["q"])
            )
        for field in ("status", "platform", "org_unit"):
            if data[field]:
                channels = channels.filter(**{field: data[field]})
        if data["mine"] and person_of(request.user):
            channels = channels.filter(pk__in=Channel.objects.answered_by(person_of(request.user)))
        if data["flagged"]:
            channels = channels.filter(open_flags__gt=0)
    rows = [{"channel": c, "inactive": is_inactive(c, c.update_interval_days)} for c in channels]
    return render(request, "registry/channel_list.html", {"form": form, "rows": rows})


@requires("registry.view_channel")
def channel_detail(request, pk):
    channel = get_object_or_404(
        Channel.objects.select_related("platform", "org_unit", "responsible", "requested_by"), pk=pk
    )
    user = request.user
    plans = list(channel.plan_versions.order_by("-version"))
    context = {
        "channel": channel,
        "deputies": channel.deputies.all(),
        "plan": plans[0] if plans else None,
        "plans": plans,
        "purposes": [Purpose(p).label for p in channel.purposes if p in Purpose.values],
        "approvals": channel.approvals.select_related("approver"),
        "consultations": channel.consultations.select_related("communicator"),
        "history": channel.status_changes.all(),
        "flags": channel.flags.filter(resolved_at__isnull=True),
        "checks": activation_results(channel),
        "inactive": is_inactive(channel, plans[0].update_interval_days if plans else None),
        "can_decide": channel.status == Channel.Status.REQUESTED
        and can(user, "registry.decide_request", channel),
        "can_consult": channel.status in (Channel.Status.REQUESTED, Channel.Status.APPROVED)
        and can(user, "registry.record_consultation", channel),
        "can_activate": workflow.allowed(channel, "activate")
        and can(user, "registry.activate_channel", channel),
        "lifecycle": [step for step in LIFECYCLE if workflow.allowed(channel, step)]
        if can(user, "registry.activate_channel", channel)
        else [],
        "can_edit": can(user, "registry.change_channel", channel),
        "can_edit_plan": can(user, "registry.change_activityplan", channel),
        "can_view_custody": can(user, "custody.view_deposit", channel),
        "compliance": _compliance_of(channel),
        "decision_form": DecisionForm(),
        "consultation_form": ConsultationForm(),
        "comment_form": CommentForm(),
    }
    return render(request, "registry/channel_detail.html", context)


def _compliance_of(channel):
    from kanalvakt.compliance.evaluate import channels_for_compliance, evaluate

    [report] = evaluate(channels_for_compliance(Channel.objects.filter(pk=channel.pk)))
    return [r for r in report.results if r.status != "not_applicable"]


@requires("registry.request_channel")
def request_channel(request):
    me = person_of(request.user)
    initial = {
        "responsible": me,
        "org_unit": me.org_unit if me else None,
        "watched_weekdays": [0, 1, 2, 3, 4],
        "watch_start": "08:00",
        "watch_end": "17:00",
        "check_interval_hours": 2,
        "update_interval_days": 7,
    }
    form = ChannelRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            channel = actions.request_channel(
                request.user,
                platform=data["platform"],
                handle=data["handle"],
                display_name=data["display_name"],
                url=data["url"],
                org_unit=data["org_unit"],
                responsible=data["responsible"],
                deputies=list(data["deputies"]),
                purposes=data["purposes"],
                follows_graphic_profile=data["follows_graphic_profile"],
                graphic_profile_note=data["graphic_profile_note"],
                plan={f: data[f] for f in PLAN_FIELDS},
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The request is sent to your nearest manager."))
            return redirect("registry:channel", pk=channel.pk)
    return render(
        request,
        "registry/request_form.html",
        {
            "form": form,
            "account_fields": [form[f] for f in ChannelRequestForm.ACCOUNT_FIELDS],
            "plan_fields": [form[f] for f in ChannelRequestForm.PLAN_FIELDS],
        },
    )


def _attach(form, exc: ValidationError):
    """Show an action's errors on the fields they name, the rest above the form."""
    errors = exc.message_dict if hasattr(exc, "message_dict") else {None: exc.messages}
    for field, field_errors in errors.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _run(request, channel, fn, success, **kwargs):
    try:
        fn(request.user, channel, **kwargs)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("registry:channel", pk=channel.pk)


@require_POST
@requires("registry.decide_request")
def decide(request, pk):
    channel = get_object_or_404(Channel, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("registry:channel", pk=pk)
    approve = form.cleaned_data["decision"] == "approve"
    return _run(
        request,
        channel,
        actions.decide_request,
        _("Approved.") if approve else _("Rejected."),
        approve=approve,
        comment=form.cleaned_data["comment"],
    )


@require_POST
@requires("registry.record_consultation")
def consult(request, pk):
    channel = get_object_or_404(Channel, pk=pk)
    return _run(
        request,
        channel,
        actions.record_consultation,
        _("The consultation is recorded."),
        advice=request.POST.get("advice", ""),
    )


@require_POST
@requires("registry.activate_channel")
def activate(request, pk):
    channel = get_object_or_404(Channel, pk=pk)
    return _run(request, channel, actions.activate_channel, _("The account is active."))


@require_POST
@requires("registry.activate_channel")
def lifecycle(request, pk, step):
    channel = get_object_or_404(Channel, pk=pk)
    if step not in LIFECYCLE:
        raise PermissionDenied(step)
    return _run(
        request,
        channel,
        LIFECYCLE[step],
        _("The account's status is changed."),
        comment=request.POST.get("comment", ""),
    )


@requires("registry.change_channel")
def responsibility(request, pk):
    channel = get_object_or_404(Channel, pk=pk)
    if not can(request.user, "registry.change_channel", channel):
        raise PermissionDenied("registry.change_channel")
    form = ResponsibilityForm(
        request.POST or None,
        initial={"responsible": channel.responsible, "deputies": channel.deputies.all()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_responsibility(
                request.user,
                channel,
                responsible=form.cleaned_data["responsible"],
                deputies=list(form.cleaned_data["deputies"]),
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Responsibility is changed."))
            return redirect("registry:channel", pk=pk)
    return render(request, "registry/responsibility_form.html", {"channel": channel, "form": form})


@requires("registry.change_activityplan")
def edit_plan(request, pk):
    channel = get_object_or_404(Channel, pk=pk)
    if not can(request.user, "registry.change_activityplan", channel):
        raise PermissionDenied("registry.change_activityplan")
    current = channel.current_plan()
    initial = {f: getattr(current, f) for f in PLAN_FIELDS} if current else {}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_plan(request.user, channel, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("A new version of the plan is saved."))
            return redirect("registry:channel", pk=pk)
    return render(request, "registry/plan_form.html", {"channel": channel, "form": form})


@requires("registry.view_channel")
def plan_versions(request, pk):
    channel = get_object_or_404(Channel, pk=pk)
    versions = list(channel.plan_versions.order_by("version"))
    by_number = {v.version: v for v in versions}
    new = by_number.get(_int(request.GET.get("to")), versions[-1] if versions else None)
    old = by_number.get(
        _int(request.GET.get("from")), by_number.get(new.version - 1) if new else None
    )
    changes = plan_diff(old, new) if old and new and old != new else []
    return render(
        request,
        "registry/plan_versions.html",
        {"channel": channel, "versions": versions, "old": old, "new": new, "changes": changes},
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@requires("registry.view_channel")
def inbox(request):
    """What waits for this user: decisions, consultations, activations, flags."""
    me, user = person_of(request.user), request.user
    open_requests = Channel.objects.filter(status=Channel.Status.REQUESTED).select_related(
        "platform", "requested_by__manager__substitute"
    )
    to_decide = [c for c in open_requests if me and me.pk in approver_ids(c.requested_by)]
    to_consult = []
    if can(user, "registry.record_consultation"):
        to_consult = Channel.objects.filter(
            status__in=[Channel.Status.REQUESTED, Channel.Status.APPROVED],
            consultations__isnull=True,
        ).select_related("platform")
    to_activate = []
    if can(user, "registry.activate_channel"):
        to_activate = Channel.objects.filter(status=Channel.Status.APPROVED).select_related(
            "platform"
        )
    flagged = (
        Channel.objects.filter(flags__resolved_at__isnull=True)
        .distinct()
        .select_related("platform")
    )
    if not can(user, "registry.activate_channel") and me:
        flagged = flagged.filter(pk__in=Channel.objects.answered_by(me))
    return render(
        request,
        "registry/inbox.html",
        {
            "to_decide": to_decide,
            "to_consult": to_consult,
            "to_activate": to_activate,
            "flagged": flagged if me or can(user, "registry.activate_channel") else [],
        },
    )
