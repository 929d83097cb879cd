"""R6.2 "so that the municipality never has accounts nobody can get into": what is wrong
with a channel's deposit, computed from the data each time (nothing to keep in sync).

Used by the custody pages, the weekly digest to the custodians (tasks.py), the activation
check (checks.py) and later the compliance view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.core.dates import add_months
from kanalvakt.custody.models import Deposit
from kanalvakt.registry.models import Channel

CLAUSE = "R6.2"
# Channels whose credentials must be in custody: live ones (a requested channel has none
# yet; activation is refused without a deposit, see checks.py).
WATCHED_STATUSES = (Channel.Status.ACTIVE, Channel.Status.PAUSED)


class FlagKind(StrEnum):
    NO_DEPOSIT = "no_deposit"
    UNREADABLE = "unreadable"
    STALE = "stale"
    BEFORE_RESPONSIBLE_CHANGE = "before_responsible_change"
    RESPONSIBLE_LEFT = "responsible_left"
    RESPONSIBLE_ELECTED = "responsible_elected"


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    message: str
    clause: str = CLAUSE


_NOT_GIVEN = object()


def stale_before(now: datetime | None = None) -> datetime:
    return add_months(now or timezone.now(), -settings.CUSTODY_MAX_AGE_MONTHS)


def current_deposit(channel: Channel) -> Deposit | None:
    return Deposit.objects.current().filter(channel=channel).first()


def custody_flags(channel: Channel, *, deposit=_NOT_GIVEN, now=None) -> list[Flag]:
    """Everything R6.2 finds wrong with the channel's deposited credentials."""
    if deposit is _NOT_GIVEN:
        deposit = current_deposit(channel)
    flags = []
    if deposit is None or not deposit.is_sealed:
        flags.append(
            Flag(
                FlagKind.NO_DEPOSIT,
                _("No login details are deposited with the central office."),
            )
        )
    else:
        if deposit.failure_code:
            flags.append(
                Flag(
                    FlagKind.UNREADABLE,
                    _(
                        "The deposited login details could not be opened on %(date)s "
                        "(%(code)s). Deposit them again."
                    )
                    % {
                        "date": f"{timezone.localtime(deposit.failed_at):%Y-%m-%d}",
                        "code": deposit.failure_code,
                    },
                )
            )
        if deposit.deposited_at < stale_before(now):
            flags.append(
                Flag(
                    FlagKind.STALE,
                    _(
                        "The login details were deposited on %(date)s, more than "
                        "%(months)s months ago. Check them and deposit them again."
                    )
                    % {
                        "date": f"{timezone.localtime(deposit.deposited_at):%Y-%m-%d}",
                        "months": settings.CUSTODY_MAX_AGE_MONTHS,
                    },
                )
            )
        if deposit.deposited_at < channel.responsible_since:
            flags.append(
                Flag(
                    FlagKind.BEFORE_RESPONSIBLE_CHANGE,
                    _(
                        "The login details were deposited before %(name)s became "
                        "responsible for the account. The new responsible person should "
                        "change the password and deposit it."
                    )
                    % {"name": channel.responsible.name},
                )
            )
    responsible = channel.responsible
    if not responsible.is_employed:
        flags.append(
            Flag(
                FlagKind.RESPONSIBLE_LEFT,
                _("The responsible person %(name)s has left employment.")
                % {"name": responsible.name},
            )
        )
    if responsible.is_elected_official:
        flags.append(
            Flag(
                FlagKind.RESPONSIBLE_ELECTED,
                _("The responsible person %(name)s is an elected official.")
                % {"name": responsible.name},
            )
        )
    return flags


def flagged_channels(channels=None, *, now=None) -> list[tuple[Channel, list[Flag]]]:
    """(channel, flags) for every watched channel with at least one flag."""
    if channels is None:
        channels = Channel.objects.filter(status__in=WATCHED_STATUSES)
    channels = list(channels.select_related("platform", "responsible"))
    deposits = {d.channel_id: d for d in Deposit.objects.current().filter(channel__in=channels)}
    result = []
    for channel in channels:
        flags = custody_flags(channel, deposit=deposits.get(channel.pk), now=now)
        if flags:
            result.append((channel, flags))
    return result
