"""The channel lifecycle as one explicit state machine (R2.1, R2.2).

requested → approved → active ⇄ paused → closed, and requested → rejected → requested.
A transition is a conditional UPDATE on the status it starts from, so two people acting at
once cannot both move it, and it is recorded in the channel's history.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.registry.models import Channel, StatusChange

S = Channel.Status

TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    "approve": (frozenset({S.REQUESTED}), S.APPROVED),
    "reject": (frozenset({S.REQUESTED}), S.REJECTED),
    "resubmit": (frozenset({S.REJECTED}), S.REQUESTED),
    "activate": (frozenset({S.APPROVED}), S.ACTIVE),
    "pause": (frozenset({S.ACTIVE}), S.PAUSED),
    "resume": (frozenset({S.PAUSED}), S.ACTIVE),
    "close": (frozenset({S.REQUESTED, S.REJECTED, S.APPROVED, S.ACTIVE, S.PAUSED}), S.CLOSED),
}


class IllegalTransition(ValidationError):
    pass


def allowed(channel: Channel, name: str) -> bool:
    sources, _target = TRANSITIONS[name]
    return channel.status in sources


def available_transitions(channel: Channel) -> list[str]:
    return [name for name in TRANSITIONS if allowed(channel, name)]


def transition(channel: Channel, name: str, *, actor_label: str, comment: str = "") -> Channel:
    sources, target = TRANSITIONS[name]
    if channel.status not in sources:
        raise IllegalTransition(
            _("The account is %(status)s and cannot be moved that way (%(step)s).")
            % {"status": channel.get_status_display().lower(), "step": name}
        )
    now = timezone.now()
    moved = Channel.objects.filter(pk=channel.pk, status=channel.status).update(
        status=target, status_changed_at=now, updated_at=now
    )
    if not moved:
        raise IllegalTransition(
            _("Someone else changed the account at the same time. Reload the page and try again.")
        )
    StatusChange.objects.create(
        channel=channel,
        from_status=channel.status,
        to_status=target,
        actor_label=actor_label,
        comment=comment,
        changed_at=now,
    )
    channel.status = channel._stored_status = target
    channel.status_changed_at = now
    return channel
