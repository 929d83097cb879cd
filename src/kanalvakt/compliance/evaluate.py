"""Run every registered check over channels, with the related data fetched in bulk."""

from collections import Counter

from django.db.models import Prefetch

from kanalvakt.compliance.checks import CHECKS, PRELOADS, ChannelReport, CheckResult, Status
from kanalvakt.registry.models import ActivityPlanVersion, Channel
from kanalvakt.registry.reports import with_update_interval


def channels_for_compliance(queryset=None):
    queryset = queryset if queryset is not None else Channel.objects.all()
    return (
        with_update_interval(queryset)
        .select_related("platform", "org_unit", "responsible", "requested_by__manager")
        .prefetch_related(
            "deputies",
            "approvals__approver",
            "consultations__communicator",
            "flags",
            Prefetch("plan_versions", queryset=ActivityPlanVersion.objects.order_by("-version")),
        )
        .order_by("display_name", "pk")
    )


def evaluate(channels) -> list[ChannelReport]:
    channels = list(channels)
    context = {}
    for preload in PRELOADS:
        context.update(preload(channels))
    reports = []
    for channel in channels:
        report = ChannelReport(channel)
        for check in CHECKS.values():
            finding = check.run(channel, context)
            report.results.append(
                CheckResult(
                    check.clause,
                    check.key,
                    str(check.title),
                    finding.status,
                    finding.detail,
                    finding.fix_url,
                )
            )
        reports.append(report)
    return reports


def summary(reports) -> dict:
    counts = Counter(r.status for report in reports for r in report.results)
    return {
        status.value: counts.get(status, 0)
        for status in (Status.OK, Status.WARNING, Status.VIOLATION)
    }


def as_json(reports) -> dict:
    """The monitoring format of `kanalvakt compliance --json` (stable)."""
    return {
        "channels": [
            {
                "id": report.channel.pk,
                "name": str(report.channel),
                "status": report.channel.status,
                "checks": [
                    {
                        "clause": r.clause,
                        "check": r.key,
                        "status": r.status.value,
                        "detail": r.detail,
                    }
                    for r in report.results
                ],
            }
            for report in reports
        ],
        "summary": summary(reports),
    }
