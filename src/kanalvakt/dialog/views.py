"""The question inbox (staff UI): open questions by time left, one question, handling."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.core.clock import watched_duration
from kanalvakt.core.views_access import requires
from kanalvakt.dialog import actions
from kanalvakt.dialog.models import Question
from kanalvakt.organisation import access
from kanalvakt.registry.watch import current_plans, schedule_for_plan

VIEW, ANSWER = actions.VIEW, actions.ANSWER
PAGE_SIZE = 50


def _time_left_rows(questions, now):
    """Watched time left per question; plans bulk-loaded for the page only (no N+1)."""
    plans = current_plans(q.channel_id for q in questions)
    schedules = {cid: schedule_for_plan(plan) for cid, plan in plans.items()}
    rows = []
    for q in questions:
        schedule = schedules.get(q.channel_id) or schedule_for_plan(None)
        overdue = q.deadline <= now
        left = watched_duration(schedule, now, q.deadline) if not overdue else None
        hours, minutes = divmod(int(left.total_seconds() // 60), 60) if left else (0, 0)
        rows.append({"question": q, "overdue": overdue, "hours": hours, "minutes": minutes})
    return rows


@requires(VIEW)
def inbox(request):
    channels = access.visible_channels(request.user, VIEW)
    questions = (
        Question.objects.filter(answered_at__isnull=True, channel__in=channels)
        .select_related("item", "channel__platform")
        .order_by("deadline", "pk")
    )
    channel_id = request.GET.get("kanal", "")
    if channel_id.isdigit():
        questions = questions.filter(channel_id=int(channel_id))
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = _time_left_rows(list(page.object_list), timezone.now())
    return render(
        request,
        "dialog/inbox.html",
        {
            "page": page,
            "rows": rows,
            "channels": channels.order_by("display_name").only("pk", "display_name"),
            "channel_id": channel_id,
        },
    )


def _question_or_404(request, pk, permission=VIEW):
    question = get_object_or_404(
        Question.objects.select_related("item", "channel__platform", "handled_by"), pk=pk
    )
    if not access.can(request.user, permission, question):
        raise PermissionDenied(permission)
    return question


@requires(VIEW)
def question_detail(request, pk):
    question = _question_or_404(request, pk)
    item = question.item
    thread = []
    if item.root_id:
        thread = list(item.root.thread_items.order_by("created_on_platform_at", "pk")[:50])
    now = timezone.now()
    return render(
        request,
        "dialog/question.html",
        {
            "question": question,
            "item": item,
            "thread": thread,
            "row": _time_left_rows([question], now)[0],
            "can_answer": access.can(request.user, ANSWER, question),
            "can_configure": access.can(request.user, "registry.change_channel", question.channel),
        },
    )


@require_POST
@requires(ANSWER)
def mark_handled(request, pk):
    question = _question_or_404(request, pk, ANSWER)
    try:
        actions.mark_handled(request.user, question, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dialog:question", pk=pk)
    messages.success(request, _("The question is marked as handled."))
    return redirect("dialog:inbox")
