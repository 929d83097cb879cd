"""What must hold before an account goes live. Other apps add checks (custody adds
"credentials deposited") with `activation_check`; all are listed on the channel page."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kanalvakt.registry.models import Approval, Channel
from kanalvakt.registry.rules import plan_is_complete


@dataclass(frozen=True)
class CheckResult:
    key: str
    clause: str
    ok: bool
    message: str


ACTIVATION_CHECKS: dict[str, Callable[[Channel], CheckResult]] = {}


def activation_check(key: str):
    def register(fn):
        ACTIVATION_CHECKS[key] = fn
        return fn

    return register


def activation_results(channel: Channel) -> list[CheckResult]:
    return [check(channel) for check in ACTIVATION_CHECKS.values()]


def activation_blockers(channel: Channel) -> list[CheckResult]:
    return [r for r in activation_results(channel) if not r.ok]


@activation_check("approved")
def _approved(channel):
    latest = channel.approvals.first()
    ok = latest is not None and latest.decision == Approval.Decision.APPROVED
    text = (
        _("Approved by %(name)s on %(date)s.")
        % {"name": latest.approver.name, "date": f"{latest.decided_at:%Y-%m-%d}"}
        if ok
        else _("Not approved by the nearest manager.")
    )
    return CheckResult("approved", "R2.1", ok, text)


@activation_check("consulted")
def _consulted(channel):
    latest = channel.consultations.first()
    text = (
        _("Consulted with %(name)s on %(date)s.")
        % {"name": latest.communicator.name, "date": f"{latest.consulted_at:%Y-%m-%d}"}
        if latest
        else _("No consultation with a communicator is recorded.")
    )
    return CheckResult("consulted", "R2.2", latest is not None, text)


@activation_check("plan")
def _plan(channel):
    ok = plan_is_complete(channel.current_plan())
    text = _("The activity plan is complete.") if ok else _("The activity plan is incomplete.")
    return CheckResult("plan", "R2.3", ok, text)


@activation_check("people")
def _people(channel):
    deputies = [d for d in channel.deputies.all() if d.pk != channel.responsible_id]
    people = [channel.responsible, *deputies]
    if not deputies:
        return CheckResult("people", "R2.4", False, _("No deputy is named."))
    elected = [p.name for p in people if p.is_elected_official]
    if elected:
        return CheckResult(
            "people",
            "R2.4",
            False,
            _("%(names)s is an elected official.") % {"names": ", ".join(elected)},
        )
    gone = [p.name for p in people if not p.is_employed]
    if gone:
        return CheckResult(
            "people",
            "R6.2",
            False,
            _("%(names)s is no longer employed.") % {"names": ", ".join(gone)},
        )
    return CheckResult(
        "people",
        "R2.4",
        True,
        _("A responsible person and a deputy, neither of them an elected official."),
    )


@activation_check("credentials")
def _credentials_not_yet(channel):
    # Replaced by the custody app's real check when it is installed.
    return CheckResult("credentials", "R6.2", False, _("Credentials not yet deposited."))
