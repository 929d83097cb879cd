"""The moderator queue (staff UI): open cases by severity then age, one case in its thread
with the evidence highlighted, decisions, manual removals to confirm, police packages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.core.marking import mark_spans
from kanalvakt.core.views_access import requires
from kanalvakt.moderation import actions
from kanalvakt.moderation.models import (
    PLATFORM_OPERATION,
    Category,
    Decision,
    ModerationCase,
    PlatformAction,
    PolicyVersion,
)
from kanalvakt.moderation.timing import schedules_for, watched_between, watched_hours
from kanalvakt.organisation import access

VIEW = "moderation.view_moderationcase"
DECIDE = actions.DECIDE
QUEUE_LIMIT = 200


def _case_or_404(request, pk, permission=VIEW):
    case = get_object_or_404(
        ModerationCase.objects.select_related("item__channel__platform", "assigned_to"), pk=pk
    )
    if not access.can(request.user, permission, case):
        raise PermissionDenied(permission)
    return case


@requires(VIEW)
def queue(request):
    channels = access.visible_channels(request.user, VIEW)
    cases = (
        ModerationCase.objects.filter(state=ModerationCase.State.OPEN, item__channel__in=channels)
        .select_related("item__channel", "assigned_to")
        .prefetch_related("flags__category")
        .order_by("-priority", "captured_at", "pk")
    )
    channel_id = request.GET.get("kanal", "")
    category_id = request.GET.get("kategori", "")
    if channel_id.isdigit():
        cases = cases.filter(item__channel_id=int(channel_id))
    if category_id:
        cases = cases.filter(flags__category_id=category_id).distinct()
    now = timezone.now()
    shown = list(cases[:QUEUE_LIMIT])
    schedules = schedules_for({c.item.channel_id for c in shown})
    rows = [
        {
            "case": c,
            "overdue": c.is_overdue(now),
            "waited": watched_hours(
                watched_between(schedules[c.item.channel_id], c.captured_at, now)
            ),
        }
        for c in shown
    ]
    attention = PlatformAction.objects.filter(
        case__item__channel__in=channels,
        state__in=[
            PlatformAction.State.FAILED,
            PlatformAction.State.GAVE_UP,
            PlatformAction.State.MANUAL,
            PlatformAction.State.PENDING,
        ],
    ).select_related("case__item__channel")
    context = {
        "rows": rows,
        "total": cases.count(),
        "channels": channels.order_by("display_name"),
        "categories": Category.objects.all(),
        "channel_id": channel_id,
        "category_id": category_id,
        "attention": attention,
        "decided": ModerationCase.objects.filter(
            state=ModerationCase.State.DECIDED, item__channel__in=channels
        )
        .select_related("item__channel")
        .order_by("-decided_at")[:20],
    }
    return render(request, "moderation/queue.html", context)


@requires(VIEW)
def case_detail(request, pk):
    case = _case_or_404(request, pk)
    item = case.item
    flags = list(case.flags.select_related("category", "policy_version"))
    spans = [span for flag in flags for span in flag.spans]
    thread = [i for i in actions.thread_items(item) if i.pk != item.pk]
    context = {
        "case": case,
        "item": item,
        "highlighted": mark_spans(item.display_text, spans),
        "flags": flags,
        "thread": thread,
        "decisions": Decision.choices,
        "suggested": flags[0].category.default_action if flags else "",
        "can_decide": access.can(request.user, DECIDE, case),
        "platform_actions": case.actions.all(),
        "overdue": case.is_overdue(),
        "watched_to_decision": case.watched_hours_to_decision,
        "author_notice": _author_notice(case, flags),
    }
    return render(request, "moderation/case.html", context)


def _author_notice(case, flags) -> str:
    """The optional notice to the author (Swedish, from a template) after a removal, for
    the moderator to send where the platform allows a reply or a message."""
    if case.decision not in PLATFORM_OPERATION or not flags:
        return ""
    return render_to_string(
        "moderation/author_notice_sv.txt",
        {
            "author": case.item.author_display_name or case.item.author_handle,
            "hidden": case.decision == Decision.HIDE,
            "explanation": flags[0].category.explanation_sv,
            "channel": case.item.channel.display_name,
        },
    ).strip()


@requires(DECIDE)
@require_POST
def assign(request, pk):
    case = _case_or_404(request, pk, DECIDE)
    actions.assign_to_me(request.user, case)
    messages.success(request, _("The case is assigned to you."))
    return redirect("moderation:case", pk=case.pk)


@requires(DECIDE)
@require_POST
def decide(request, pk):
    case = _case_or_404(request, pk, DECIDE)
    decision = request.POST.get("decision", "")
    if decision not in Decision.values:
        messages.error(request, _("Choose a decision."))
        return redirect("moderation:case", pk=case.pk)
    try:
        actions.decide(request.user, case, decision=decision, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("moderation:case", pk=case.pk)
    messages.success(
        request, _("Decision recorded: %(decision)s.") % {"decision": Decision(decision).label}
    )
    return redirect("moderation:case", pk=case.pk)


@requires(DECIDE)
@require_POST
def confirm(request, pk):
    platform_action = get_object_or_404(PlatformAction.objects.select_related("case__item"), pk=pk)
    if not access.can(request.user, DECIDE, platform_action):
        raise PermissionDenied(DECIDE)
    try:
        actions.confirm_manual(request.user, platform_action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Confirmed: the item was removed by hand."))
    return redirect("moderation:case", pk=platform_action.case_id)


@requires(DECIDE)
def police_package(request, pk):
    from kanalvakt.moderation.police import police_package as build

    case = _case_or_404(request, pk, DECIDE)
    if case.decision != Decision.REPORT_TO_POLICE:
        raise PermissionDenied(DECIDE)
    response = HttpResponse(build(case), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="polisanmalan-arende-{case.pk}.zip"'
    return response


@requires(VIEW)
def policy(request):
    from kanalvakt.moderation.policy import current_policy

    current = current_policy()
    categories = list(Category.objects.all())
    can_change = access.can(request.user, actions.CHANGE_POLICY)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(actions.CHANGE_POLICY)
        try:
            overrides = _overrides_from(request.POST, categories)
        except ValueError:
            messages.error(request, _("Give the target as a number of hours above zero."))
        else:
            version = actions.change_policy(
                request.user, overrides=overrides, note=request.POST.get("note", "")
            )
            messages.success(
                request, _("Policy version %(n)s is in force.") % {"n": version.number}
            )
            return redirect("moderation:policy")
    rows = [
        {
            "category": c,
            "severity": current.category_override(c.id).get("severity", c.severity),
            "disabled": current.category_override(c.id).get("disabled", False),
        }
        for c in categories
    ]
    context = {
        "current": current,
        "rows": rows,
        "versions": PolicyVersion.objects.all()[:20],
        "can_change": can_change,
    }
    return render(request, "moderation/policy.html", context)


def _overrides_from(data, categories) -> dict:
    hours = float(data.get("target_hours", "").replace(",", "."))
    if not hours > 0:
        raise ValueError(hours)
    overrides = {"target_hours": hours, "categories": {}}
    for category in categories:
        entry = {}
        severity = data.get(f"severity-{category.id}", "")
        if severity in {"1", "2", "3"} and int(severity) != category.severity:
            entry["severity"] = int(severity)
        if data.get(f"disabled-{category.id}"):
            entry["disabled"] = True
        if entry:
            overrides["categories"][category.id] = entry
    return overrides
