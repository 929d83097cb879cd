"""R7.4/R7.6 in the compliance view: material registered by moderation must not wait for
a case number for long. Only channels with a pending registration get a finding."""

from collections import defaultdict
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kanalvakt.compliance.checks import Finding, Status, compliance_check, compliance_preload

PENDING_WORKING_DAYS = 3  # Mon–Fri except Swedish public holidays


def working_days_between(start, end) -> int:
    """Whole working days after `start`'s date up to and including `end`'s date."""
    from kanalvakt.core.clock import swedish_days_off

    day, last, count = start + timedelta(days=1), end, 0
    off = {}
    while day <= last:
        if day.year not in off:
            off[day.year] = swedish_days_off(day.year)
        if day.weekday() < 5 and day not in off[day.year]:
            count += 1
        day += timedelta(days=1)
    return count


@compliance_preload
def _pending_registrations(channels):
    from kanalvakt.records.registration_models import Registration, RegistrationItem

    oldest = {}
    links = RegistrationItem.objects.filter(
        registration__state=Registration.State.PENDING, item__channel__in=channels
    ).values_list("item__channel_id", "registration__requested_at")
    by_channel = defaultdict(list)
    for channel_id, requested_at in links:
        by_channel[channel_id].append(requested_at)
    for channel_id, times in by_channel.items():
        oldest[channel_id] = min(times)
    return {"oldest_pending_registration": oldest}


@compliance_check("R7.4", "registration_pending", _lazy("Registrations get a case number in time"))
def registration_pending(channel, ctx):
    requested_at = ctx["oldest_pending_registration"].get(channel.pk)
    if requested_at is None:
        return Finding(Status.NOT_APPLICABLE, "")
    since = timezone.localdate(requested_at)
    fix = reverse("records:registrations") + "?state=pending"
    if working_days_between(since, timezone.localdate()) > PENDING_WORKING_DAYS:
        return Finding(
            Status.WARNING,
            _("A registration has waited for a case number since %(date)s.")
            % {"date": f"{since:%Y-%m-%d}"},
            fix,
        )
    return Finding(
        Status.OK,
        _("A registration waits for a case number (%(date)s).") % {"date": f"{since:%Y-%m-%d}"},
        fix,
    )
