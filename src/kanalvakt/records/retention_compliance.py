"""R7.1 in the compliance view: a disposal proposal must not wait for review for ever
(items past their retention period are kept meanwhile, and the list grows stale)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kanalvakt.compliance.checks import Finding, Status, compliance_check, compliance_preload


@compliance_preload
def _open_proposal(channels):
    from kanalvakt.records.retention_models import DisposalRun

    run = DisposalRun.objects.filter(state=DisposalRun.State.PROPOSED).first()
    channel_ids = {row[0] for row in (run.summary.get("channels", []) if run else [])}
    return {"disposal_proposal": (run, channel_ids)}


@compliance_check("R7.1", "disposal_reviewed", _lazy("Disposal proposal reviewed in time"))
def disposal_reviewed(channel, ctx):
    from kanalvakt.records.retention import STALE_PROPOSAL_DAYS

    run, channel_ids = ctx["disposal_proposal"]
    if run is None or channel.pk not in channel_ids:
        return Finding(Status.NOT_APPLICABLE, "")
    since = f"{timezone.localtime(run.proposed_at):%Y-%m-%d}"
    fix = reverse("records:disposal_run", args=[run.pk])
    if run.proposed_at < timezone.now() - timedelta(days=STALE_PROPOSAL_DAYS):
        return Finding(
            Status.WARNING,
            _("A disposal proposal has waited for review since %(date)s.") % {"date": since},
            fix,
        )
    return Finding(Status.OK, _("A disposal proposal awaits review (%(date)s).") % {"date": since})
