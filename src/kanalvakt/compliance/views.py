from django.shortcuts import render

from kanalvakt.compliance.checks import CHECKS, Status
from kanalvakt.compliance.evaluate import channels_for_compliance, evaluate, summary
from kanalvakt.core.views_access import requires
from kanalvakt.organisation.access import person_of
from kanalvakt.organisation.models import OrgUnit
from kanalvakt.registry.models import Channel

ORDER = {Status.VIOLATION: 0, Status.WARNING: 1, Status.OK: 2, Status.NOT_APPLICABLE: 3}


def _render(request, queryset, template, extra=None):
    reports = evaluate(channels_for_compliance(queryset))
    wanted = request.GET.get("status", "")
    if wanted in {s.value for s in Status}:
        reports = [r for r in reports if r.worst == wanted]
    if request.GET.get("sort") == "worst":
        reports.sort(key=lambda r: (ORDER[r.worst], str(r.channel)))
    return render(
        request,
        template,
        {
            "reports": reports,
            "checks": list(CHECKS.values()),
            "summary": summary(reports),
            "status": wanted,
            "sort": request.GET.get("sort", ""),
            "statuses": list(Status),
            **(extra or {}),
        },
    )


@requires("compliance.view_compliance")
def overview(request):
    queryset = Channel.objects.exclude(status=Channel.Status.CLOSED)
    unit = request.GET.get("org_unit")
    if unit and unit.isdigit():
        queryset = queryset.filter(org_unit_id=int(unit))
    return _render(
        request,
        queryset,
        "compliance/overview.html",
        {"org_units": OrgUnit.objects.all(), "org_unit": unit or ""},
    )


@requires("registry.view_channel")
def my_accounts(request):
    person = person_of(request.user)
    queryset = (
        Channel.objects.answered_by(person).exclude(status=Channel.Status.CLOSED)
        if person
        else Channel.objects.none()
    )
    return _render(request, queryset, "compliance/my_accounts.html")
