"""Use cases of the dialog, each permission-checked and audited (kanalvakt.core.actions)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.core.actions import action
from kanalvakt.dialog.models import Question

VIEW = "dialog.view_question"
ANSWER = "dialog.answer_question"
FORWARD = "dialog.forward_question"


@action("dialog.question.escalate", permission=None)
def record_escalation(ctx, question: Question, *, level: int, now=None):
    """Only the system calls this (the escalation task)."""
    if not getattr(ctx.actor, "is_system", False):
        raise PermissionError("escalation is done by the system")
    question.escalation_level = level
    question.escalated_at = now or timezone.now()
    question.save(update_fields=["escalation_level", "escalated_at"])
    ctx.audit(question, {"level": level})


@action("dialog.question.mark_handled", permission=ANSWER, target="question")
def mark_handled(ctx, question: Question, *, reason: str):
    """Answered elsewhere (phone, e-mail, in person) or needs no answer; a reason is required."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason."))
    if not question.is_open:
        raise ValidationError(_("The question is already answered."))
    question.answered_at = timezone.now()
    question.how_answered = Question.HowAnswered.MARKED_HANDLED
    question.handled_reason = reason
    question.handled_by = ctx.actor if getattr(ctx.actor, "pk", None) else None
    question.save(update_fields=["answered_at", "how_answered", "handled_reason", "handled_by"])
    ctx.audit(question, {"reason": reason})


@action("dialog.reply.publish", permission=ANSWER, target="item")
def publish_reply(ctx, item, *, text: str, advice: list | None = None, client=None):
    """Sign, publish through the API or leave as a manual task; always recorded."""
    from kanalvakt.dialog.models import ChannelDialogSettings, Reply
    from kanalvakt.dialog.replies import NoToken, reply, signed

    if not text.strip():
        raise ValidationError(_("Write a reply."))
    person = getattr(ctx.actor, "person", None) if getattr(ctx.actor, "pk", None) else None
    first_name = person.name.split()[0] if person and person.name else ""
    settings = ChannelDialogSettings.objects.filter(channel=item.channel).first()
    final = signed(text.strip(), settings, first_name)
    row = Reply(
        item=item,
        channel=item.channel,
        text=final,
        written_by=ctx.actor if getattr(ctx.actor, "pk", None) else None,
        created_at=timezone.now(),
        advice=advice or [],
    )
    try:
        row.external_id = reply(item.channel, item, final, client=client)
        row.state = Reply.State.PUBLISHED
    except NoToken as error:
        row.state, row.error = Reply.State.MANUAL, str(error)
    except Exception as error:  # the platform refused or is down: kept for a retry by hand
        row.state, row.error = Reply.State.FAILED, str(error)[:1000]
    row.save()
    ctx.audit(row, {"state": row.state, "item": item.pk})
    return row
