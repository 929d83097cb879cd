"""Report sections of the apps that exist so far. Later apps add theirs the same way."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from kanalvakt.compliance.report import report_section


@report_section
def credential_renewals(start, end):
    """Deposits that pass the policy's age limit within the next two months."""
    from kanalvakt.core.dates import add_months
    from kanalvakt.custody.models import Deposit
    from kanalvakt.registry.models import Channel

    horizon = add_months(end + timedelta(days=61), -settings.CUSTODY_MAX_AGE_MONTHS)
    deposits = (
        Deposit.objects.current()
        .filter(deposited_at__lt=horizon)
        .filter(channel__status__in=[Channel.Status.ACTIVE, Channel.Status.PAUSED])
        .select_related("channel__platform")
        .order_by("deposited_at")
    )
    return {
        "title": _("Credential renewals in the next two months"),
        "headers": [_("Account"), _("Deposited")],
        "rows": [[str(d.channel), f"{d.deposited_at:%Y-%m-%d}"] for d in deposits],
        "empty": _("No deposits need renewing."),
    }
