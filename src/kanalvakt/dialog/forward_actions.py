"""Use cases of forwarding (R3.3, R3.4): forward, answer through the link, close, remind."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.core.actions import action
from kanalvakt.core.notify import notify
from kanalvakt.dialog.actions import ANSWER, FORWARD
from kanalvakt.dialog.forwarding import answer_path, new_nonce
from kanalvakt.dialog.models import Forward, Question


@action("dialog.forward.send", permission=FORWARD, target="item")
def forward_item(ctx, item, *, to_person=None, to_email: str = "", message: str):
    """Forward a question, critical comment or feedback with a message."""
    to_email = (to_person.email if to_person else to_email).strip()
    validate_email(to_email)
    if not message.strip():
        raise ValidationError(_("Write a message to the receiver."))
    forward = Forward.objects.create(
        item=item,
        question=Question.objects.filter(item=item).first(),
        channel=item.channel,
        to_person=to_person,
        to_email=to_email,
        message=message.strip(),
        sent_by=ctx.actor if getattr(ctx.actor, "pk", None) else None,
        sent_at=timezone.now(),
        nonce=new_nonce(),
    )
    _mail_receiver(forward, reminder=False)
    ctx.audit(forward, {"to": to_email, "item": item.pk})
    return forward


def _mail_receiver(forward, *, reminder: bool):
    subject = (
        _("Reminder: a question for you from %(channel)s")
        if reminder
        else _("A question for you from %(channel)s")
    ) % {"channel": forward.channel.display_name}
    notify(
        [forward.to_email],
        subject,
        "dialog/email/forwarded.txt",
        {"forward": forward, "link": answer_path(forward), "reminder": reminder},
    )


@action("dialog.forward.answer", permission=None)
def answer_forward(ctx, forward: Forward, *, answer: str, by_label: str):
    """The receiver's answer through the signed link (no login) comes back to the owner."""
    if not answer.strip():
        raise ValidationError(_("Write an answer."))
    now = timezone.now()
    # Single use even under concurrent submits: only one update can match.
    claimed = Forward.objects.filter(
        pk=forward.pk, link_used_at__isnull=True, state=Forward.State.SENT
    ).update(
        link_used_at=now,
        state=Forward.State.ANSWERED,
        answer=answer.strip(),
        answered_at=now,
        answered_by_label=by_label[:300],
    )
    if not claimed:
        raise ValidationError(_("This link has already been used."))
    forward.refresh_from_db()
    notify(
        [forward.channel.responsible],
        _("An answer to post on %(channel)s") % {"channel": forward.channel.display_name},
        "dialog/email/answer_back.txt",
        {"forward": forward},
    )
    ctx.audit(forward, {"by": by_label, "length": len(forward.answer)})


@action("dialog.forward.close", permission=ANSWER, target="forward")
def close_forward(ctx, forward: Forward):
    if forward.state == Forward.State.CLOSED:
        raise ValidationError(_("Already closed."))
    forward.state = Forward.State.CLOSED
    forward.closed_at = timezone.now()
    forward.save(update_fields=["state", "closed_at"])
    ctx.audit(forward, {})


def send_reminders(now=None) -> int:
    """Remind receivers who have not answered (scheduled with the escalation)."""
    from kanalvakt.dialog.forwarding import MAX_REMINDERS, REMIND_AFTER
    from kanalvakt.organisation.access import SystemActor

    now = now or timezone.now()
    due = Forward.objects.filter(
        state=Forward.State.SENT, reminders_sent__lt=MAX_REMINDERS
    ).select_related("channel", "item")
    count = 0
    for forward in due:
        last = forward.last_reminded_at or forward.sent_at
        if now - last >= REMIND_AFTER:
            remind_receiver(SystemActor("dialog-reminders"), forward, now=now)
            count += 1
    return count


@action("dialog.forward.remind", permission=None)
def remind_receiver(ctx, forward, *, now):
    forward.reminders_sent += 1
    forward.last_reminded_at = now
    forward.save(update_fields=["reminders_sent", "last_reminded_at"])
    _mail_receiver(forward, reminder=True)
    ctx.audit(forward, {"reminder": forward.reminders_sent})


@action("dialog.settings.change", permission="registry.change_channel", target="channel")
def change_dialog_settings(
    ctx, channel, *, response_target: str, signature_enabled: bool, signature_template: str
):
    """Per-channel response target and reply signature (R3.5)."""
    from kanalvakt.core.clock import ResponseTarget
    from kanalvakt.dialog.models import ChannelDialogSettings

    response_target = response_target.strip()
    if response_target:
        try:
            ResponseTarget.parse(response_target)
        except ValueError as error:
            raise ValidationError(
                _("Write the target as for example '1 arbetsdag' or '4 timmar'.")
            ) from error
    if signature_enabled and not signature_template.strip():
        raise ValidationError(_("Write the signature to sign replies with."))
    settings, _created = ChannelDialogSettings.objects.update_or_create(
        channel=channel,
        defaults={
            "response_target": response_target,
            "signature_enabled": signature_enabled,
            "signature_template": signature_template.strip(),
        },
    )
    ctx.audit(channel, {"response_target": response_target, "signature": signature_enabled})
    return settings
