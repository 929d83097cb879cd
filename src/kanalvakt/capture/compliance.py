"""The platform connection in the compliance view: capture is what fills the archive of
public records (R7.2) and makes screening possible (R4.1)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kanalvakt.capture.models import ChannelConnection
from kanalvakt.compliance.checks import Finding, Status, compliance_check, compliance_preload

STALE_AFTER = timedelta(days=1)


@compliance_preload
def _connections(channels):
    return {
        "connections": {
            c.channel_id: c for c in ChannelConnection.objects.filter(channel__in=channels)
        }
    }


@compliance_check("R7.2", "connection", _lazy("Platform connection healthy"))
def connection(channel, ctx):
    found = ctx["connections"].get(channel.pk)
    if channel.status != "active" or found is None or found.state == found.State.DISABLED:
        # Without a connection the account is archived from export files (kanalvakt import).
        return Finding(Status.NOT_APPLICABLE, "")
    fix = reverse("capture:connection", args=[channel.pk])
    if found.state == found.State.BROKEN:
        return Finding(
            Status.VIOLATION,
            _("Capture has stopped since %(date)s: %(error)s")
            % {
                "date": f"{timezone.localtime(found.broken_since or found.last_error_at):%Y-%m-%d}"
                if (found.broken_since or found.last_error_at)
                else "–",
                "error": found.last_error[:200],
            },
            fix,
        )
    if found.last_success_at is None or timezone.now() - found.last_success_at > STALE_AFTER:
        return Finding(Status.WARNING, _("No successful capture for over a day."), fix)
    return Finding(
        Status.OK,
        _("Captured %(date)s.")
        % {"date": f"{timezone.localtime(found.last_success_at):%Y-%m-%d %H:%M}"},
    )
