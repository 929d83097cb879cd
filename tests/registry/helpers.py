"""Building channels for tests: through the real workflow, fast."""

import itertools
from datetime import time

from factories import OrgUnitFactory, PersonFactory
from kanalvakt.organisation.models import OrgUnit
from kanalvakt.registry import workflow
from kanalvakt.registry.models import (
    ActivityPlanVersion,
    Approval,
    Channel,
    Consultation,
    Platform,
    Purpose,
)

_handles = itertools.count(1)

STEPS_TO = {
    Channel.Status.REQUESTED: [],
    Channel.Status.REJECTED: ["reject"],
    Channel.Status.APPROVED: ["approve"],
    Channel.Status.ACTIVE: ["approve", "activate"],
    Channel.Status.PAUSED: ["approve", "activate", "pause"],
    Channel.Status.CLOSED: ["approve", "activate", "close"],
}


def valid_plan(**overrides) -> dict:
    plan = {
        "description": "Bibliotekets Instagram visar nya böcker, evenemang och öppettider.",
        "purpose_and_goals": "Nå unga vuxna som inte besöker biblioteket; 500 följare på ett år.",
        "target_group": "Unga vuxna 16–30 år i Osby kommun.",
        "watched_weekdays": [0, 1, 2, 3, 4],
        "watch_start": time(8, 0),
        "watch_end": time(17, 0),
        "check_interval_hours": 2,
        "update_interval_days": 7,
        "holiday_cover": "Kommunikationsenheten bevakar under semestrar.",
        "monitoring_notes": "",
        "high_traffic": False,
    }
    plan.update(overrides)
    return plan


def make_channel(
    status=Channel.Status.ACTIVE,
    *,
    platform="instagram",
    handle=None,
    responsible=None,
    deputies=None,
    org_unit=None,
    requested_by=None,
    display_name=None,
    **fields,
) -> Channel:
    """A channel moved through the workflow to `status`, with plan, approval and consultation
    recorded as the workflow would (no permission checks, no mail)."""
    platform = Platform.objects.get(key=platform)
    org_unit = org_unit or OrgUnitFactory(kind=OrgUnit.Kind.ADMINISTRATION)
    responsible = responsible or PersonFactory(org_unit=org_unit)
    deputies = deputies if deputies is not None else [PersonFactory(org_unit=org_unit)]
    requester = requested_by or responsible
    if requester.manager is None:
        requester.manager = PersonFactory(org_unit=org_unit, title="Chef")
        requester.save()
    handle = handle or f"osby_test_{next(_handles)}"
    channel = Channel.objects.create(
        platform=platform,
        handle=handle,
        url=platform.url_for(handle),
        display_name=display_name or f"Osby test {handle}",
        org_unit=org_unit,
        requested_by=requester,
        responsible=responsible,
        purposes=[Purpose.COMMUNICATE],
        **fields,
    )
    channel.deputies.set(deputies)
    ActivityPlanVersion.objects.create(
        channel=channel, version=1, author_label="test", **valid_plan()
    )
    for step in STEPS_TO[status]:
        if step == "approve":
            Approval.objects.create(
                channel=channel, approver=requester.manager, decision=Approval.Decision.APPROVED
            )
            Consultation.objects.create(
                channel=channel, communicator=PersonFactory(), advice="Använd kommunens profilbild."
            )
        workflow.transition(channel, step, actor_label="test")
    return channel
