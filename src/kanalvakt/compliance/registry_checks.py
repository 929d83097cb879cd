"""The checks of the registry and custody clauses (R2.1–R2.4, R3.2, R5.2, R6.1, R6.2)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kanalvakt.compliance.checks import Finding, Status, compliance_check, compliance_preload
from kanalvakt.core.dates import add_months
from kanalvakt.custody.flags import FlagKind, custody_flags
from kanalvakt.custody.models import Deposit
from kanalvakt.registry.models import Approval, Channel
from kanalvakt.registry.reports import is_inactive
from kanalvakt.registry.rules import plan_is_complete

LIVE = (Channel.Status.ACTIVE, Channel.Status.PAUSED)
PLAN_REVIEW_MONTHS = 12  # Osby: a plan is looked over at least once a year
NA = Finding(Status.NOT_APPLICABLE, "")


def _page(channel):
    return reverse("registry:channel", args=[channel.pk])


@compliance_preload
def _deposits(channels):
    current = Deposit.objects.current().filter(channel__in=channels)
    return {"deposits": {d.channel_id: d for d in current}}


@compliance_check("R2.1", "approved", _lazy("Approved by the nearest manager"))
def approved(channel, ctx):
    if channel.status not in LIVE:
        return NA
    approvals = list(channel.approvals.all())
    if approvals and approvals[0].decision == Approval.Decision.APPROVED:
        a = approvals[0]
        return Finding(
            Status.OK,
            _("Approved by %(name)s on %(date)s.")
            % {"name": a.approver.name, "date": f"{a.decided_at:%Y-%m-%d}"},
        )
    return Finding(
        Status.VIOLATION, _("No approval by the nearest manager is recorded."), _page(channel)
    )


@compliance_check("R2.2", "consulted", _lazy("Communicator consulted"))
def consulted(channel, ctx):
    if channel.status not in LIVE:
        return NA
    consultations = list(channel.consultations.all())
    if consultations:
        c = consultations[0]
        return Finding(
            Status.OK,
            _("Consulted with %(name)s on %(date)s.")
            % {"name": c.communicator.name, "date": f"{c.consulted_at:%Y-%m-%d}"},
        )
    return Finding(
        Status.VIOLATION, _("No consultation with a communicator is recorded."), _page(channel)
    )


@compliance_check("R2.3", "plan", _lazy("Activity plan complete and current"))
def plan(channel, ctx):
    if channel.status not in LIVE:
        return NA
    versions = list(channel.plan_versions.all())
    current = versions[0] if versions else None
    fix = reverse("registry:plan_edit", args=[channel.pk])
    if not plan_is_complete(current):
        return Finding(Status.VIOLATION, _("The activity plan is incomplete."), fix)
    if current.created_at < add_months(timezone.now(), -PLAN_REVIEW_MONTHS):
        return Finding(
            Status.WARNING,
            _("The plan has not been looked over since %(date)s.")
            % {"date": f"{current.created_at:%Y-%m-%d}"},
            fix,
        )
    return Finding(
        Status.OK,
        _("Version %(v)s of %(date)s.")
        % {"v": current.version, "date": f"{current.created_at:%Y-%m-%d}"},
    )


@compliance_check("R2.4", "no_elected_official", _lazy("No elected official answers for it"))
def no_elected_official(channel, ctx):
    if channel.status == Channel.Status.CLOSED:
        return NA
    people = [channel.responsible, *channel.deputies.all()]
    elected = [p.name for p in people if p.is_elected_official]
    if elected:
        return Finding(
            Status.VIOLATION,
            _("%(names)s is an elected official.") % {"names": ", ".join(elected)},
            reverse("registry:responsibility", args=[channel.pk]),
        )
    return Finding(Status.OK, _("Nobody answering for the account is an elected official."))


@compliance_check("R6.2", "custody", _lazy("Login details deposited and current"))
def custody(channel, ctx):
    if channel.status not in LIVE:
        return NA
    flags = custody_flags(channel, deposit=ctx["deposits"].get(channel.pk))
    fix = reverse("custody:channel", args=[channel.pk])
    deputies_gone = [p.name for p in channel.deputies.all() if not p.is_employed]
    if not flags and not deputies_gone:
        return Finding(Status.OK, _("Deposited; the people answering for it are employed."))
    serious = {
        FlagKind.NO_DEPOSIT,
        FlagKind.UNREADABLE,
        FlagKind.RESPONSIBLE_LEFT,
        FlagKind.RESPONSIBLE_ELECTED,
    }
    messages = [f.message for f in flags]
    if deputies_gone:
        messages.append(_("%(names)s is no longer employed.") % {"names": ", ".join(deputies_gone)})
    status = Status.VIOLATION if any(f.kind in serious for f in flags) else Status.WARNING
    return Finding(status, " ".join(messages), fix)


@compliance_check("R6.1", "website_link", _lazy("Linked from the website"))
def website_link(channel, ctx):
    if channel.status != Channel.Status.ACTIVE:
        return NA
    if channel.website_linked is None:
        return Finding(Status.WARNING, _("Not yet checked against the website."))
    if not channel.website_linked:
        return Finding(Status.VIOLATION, _("No page of the website links to the account."))
    return Finding(Status.OK, _("Linked from %(url)s.") % {"url": channel.website_link_found_on})


@compliance_check("R3.2", "active", _lazy("Active with updates"))
def active(channel, ctx):
    if channel.status != Channel.Status.ACTIVE:
        return NA
    interval = getattr(channel, "update_interval_days", None)
    if is_inactive(channel, interval):
        last = channel.last_own_post_at
        return Finding(
            Status.WARNING,
            _("No own post since %(date)s; the plan says every %(days)s days.")
            % {"date": f"{last:%Y-%m-%d}" if last else "–", "days": interval},
        )
    return Finding(Status.OK, _("Updated within the plan's interval."))


@compliance_check("R5.2", "graphic_profile", _lazy("Follows the graphic profile"))
def graphic_profile(channel, ctx):
    if channel.status not in LIVE:
        return NA
    if channel.follows_graphic_profile:
        return Finding(Status.OK, channel.graphic_profile_note or _("Follows the profile."))
    return Finding(Status.WARNING, _("Does not follow the graphic profile."), _page(channel))
