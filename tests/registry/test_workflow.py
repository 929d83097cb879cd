"""The request → approve → consult → activate workflow (R2.1, R2.2, R2.3)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kanalvakt.audit.models import AuditEvent
from kanalvakt.organisation.roles import Role
from kanalvakt.registry import actions, workflow
from kanalvakt.registry.activation import ACTIVATION_CHECKS, CheckResult
from kanalvakt.registry.models import Channel, Platform, Purpose
from registry.helpers import make_channel, valid_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def credentials_deposited(monkeypatch):
    """Activation's custody condition, held true where a test is not about it."""
    monkeypatch.setitem(
        ACTIVATION_CHECKS,
        "credentials",
        lambda channel: CheckResult("credentials", "R6.2", True, "deposited"),
    )


@pytest.fixture
def team(make_user):
    """An account owner, their manager, a deputy, a communicator and the central office."""
    manager = make_user(Role.MANAGER)
    owner = make_user(Role.ACCOUNT_OWNER)
    owner.person.manager = manager.person
    owner.person.save()
    deputy = make_user(Role.ACCOUNT_OWNER, org_unit=owner.person.org_unit)
    return {
        "owner": owner,
        "manager": manager,
        "deputy": deputy,
        "communicator": make_user(Role.COMMUNICATOR),
        "office": make_user(Role.CENTRAL_OFFICE),
    }


def request(team, **overrides):
    fields = {
        "platform": Platform.objects.get(key="instagram"),
        "handle": "osbybibliotek",
        "display_name": "Osby bibliotek",
        "org_unit": team["owner"].person.org_unit,
        "responsible": team["owner"].person,
        "deputies": [team["deputy"].person],
        "purposes": [Purpose.COMMUNICATE, Purpose.NEW_AUDIENCES],
        "plan": valid_plan(),
    }
    fields.update(overrides)
    return actions.request_channel(team["owner"], **fields)


@pytest.mark.req("R2.1", "R2.2", "R2.3")
@pytest.mark.django_db(transaction=True)  # mail is sent on commit
def test_a_request_goes_through_the_whole_workflow(team, credentials_deposited):
    channel = request(team)
    assert channel.status == Channel.Status.REQUESTED
    assert channel.url == "https://www.instagram.com/osbybibliotek/"
    assert [m.to for m in mail.outbox] == [[team["manager"].person.email]]

    actions.decide_request(team["manager"], channel, approve=True, comment="Bra plan.")
    approval = channel.approvals.get()
    assert approval.approver == team["manager"].person and approval.comment == "Bra plan."

    actions.record_consultation(
        team["communicator"], channel, advice="Använd kommunens logotyp som profilbild."
    )
    consultation = channel.consultations.get()
    assert consultation.communicator == team["communicator"].person

    actions.activate_channel(team["office"], channel)
    channel.refresh_from_db()
    assert channel.status == Channel.Status.ACTIVE
    history = list(channel.status_changes.values_list("from_status", "to_status"))
    assert history == [("requested", "approved"), ("approved", "active")]
    audited = set(
        AuditEvent.objects.filter(object_id=str(channel.pk)).values_list("action", flat=True)
    )
    assert {
        "registry.channel.request",
        "registry.channel.decide",
        "registry.channel.consult",
        "registry.channel.activate",
    } <= audited


@pytest.mark.req("R2.1")
def test_only_the_requesters_nearest_manager_decides(team, make_user):
    channel = request(team)
    other_manager = make_user(Role.MANAGER)
    with pytest.raises(PermissionDenied):
        actions.decide_request(other_manager, channel, approve=True)
    with pytest.raises(PermissionDenied):
        actions.decide_request(team["owner"], channel, approve=True)
    assert AuditEvent.objects.filter(action="access.denied").count() == 2


@pytest.mark.req("R2.1")
def test_a_substitute_decides_while_the_manager_is_away(team, make_user):
    from datetime import timedelta

    from django.utils import timezone

    substitute = make_user(Role.MANAGER)
    manager = team["manager"].person
    manager.substitute = substitute.person
    manager.substitute_until = timezone.localdate() + timedelta(days=7)
    manager.save()
    channel = request(team)
    actions.decide_request(substitute, channel, approve=True)
    assert channel.approvals.get().approver == substitute.person

    manager.substitute_until = timezone.localdate() - timedelta(days=1)
    manager.save()
    second = request(team, handle="osbybibliotek2")
    with pytest.raises(PermissionDenied):
        actions.decide_request(substitute, second, approve=True)


@pytest.mark.req("R2.1")
def test_rejection_needs_a_reason_and_can_be_resubmitted(team):
    channel = request(team)
    with pytest.raises(ValidationError):
        actions.decide_request(team["manager"], channel, approve=False, comment=" ")
    actions.decide_request(team["manager"], channel, approve=False, comment="Ingen ersättare.")
    assert channel.status == Channel.Status.REJECTED
    actions.resubmit_request(team["owner"], channel, comment="Nu med ersättare.")
    assert channel.status == Channel.Status.REQUESTED


@pytest.mark.req("R2.1")
def test_a_requester_without_a_manager_is_told_why(team):
    team["owner"].person.manager = None
    team["owner"].person.save()
    with pytest.raises(ValidationError, match=r"närmaste chef|nearest manager"):
        request(team)


@pytest.mark.req("R2.1", "R2.2", "R2.3")
@pytest.mark.parametrize("missing", ["approval", "consultation", "plan", "deputy"])
def test_activation_is_refused_until_every_condition_holds(team, credentials_deposited, missing):
    channel = make_channel(Channel.Status.APPROVED)
    if missing == "approval":
        channel.approvals.all().delete()
    elif missing == "consultation":
        channel.consultations.all().delete()
    elif missing == "plan":
        plan = channel.current_plan()
        plan.target_group = ""
        plan.save()
    else:
        channel.deputies.clear()
    with pytest.raises(actions.ActivationRefused) as refused:
        actions.activate_channel(team["office"], channel)
    assert len(refused.value.blockers) == 1
    channel.refresh_from_db()
    assert channel.status == Channel.Status.APPROVED


@pytest.mark.req("R6.2")
def test_activation_waits_for_deposited_credentials(team):
    channel = make_channel(Channel.Status.APPROVED)
    with pytest.raises(actions.ActivationRefused) as refused:
        actions.activate_channel(team["office"], channel)
    assert [b.key for b in refused.value.blockers] == ["credentials"]


def test_illegal_transitions_are_impossible(team, credentials_deposited):
    channel = request(team)
    with pytest.raises(workflow.IllegalTransition):
        workflow.transition(channel, "activate", actor_label="x")
    with pytest.raises(workflow.IllegalTransition):
        actions.activate_channel(team["office"], channel)
    # Not even a direct save (an admin form, a script) can move the status.
    channel.status = Channel.Status.ACTIVE
    with pytest.raises(ValidationError):
        channel.save()
    assert Channel.objects.get(pk=channel.pk).status == Channel.Status.REQUESTED
    with pytest.raises(ValidationError):
        Channel.objects.create(
            platform=channel.platform,
            handle="direct",
            url="https://x.se",
            display_name="x",
            org_unit=channel.org_unit,
            requested_by=channel.requested_by,
            responsible=channel.responsible,
            status=Channel.Status.ACTIVE,
        )


def test_concurrent_decisions_cannot_both_win(team):
    channel = request(team)
    stale = Channel.objects.get(pk=channel.pk)
    actions.decide_request(team["manager"], channel, approve=True)
    with pytest.raises(workflow.IllegalTransition):
        actions.decide_request(team["manager"], stale, approve=False, comment="Nej")
    assert Channel.objects.get(pk=channel.pk).status == Channel.Status.APPROVED


def test_closing_keeps_the_history(team, credentials_deposited):
    channel = make_channel(Channel.Status.ACTIVE)
    with pytest.raises(ValidationError):
        actions.close_channel(team["office"], channel, comment="")
    actions.close_channel(team["office"], channel, comment="Verksamheten har upphört.")
    channel.refresh_from_db()
    assert channel.status == Channel.Status.CLOSED
    assert channel.plan_versions.exists() and channel.approvals.exists()
    assert channel.status_changes.last().comment == "Verksamheten har upphört."


@pytest.mark.req("R1.1")
def test_the_same_account_cannot_be_registered_twice(team):
    request(team)
    with pytest.raises(ValidationError, match=r"(?i)osbybibliotek"):
        request(team, handle="@OsbyBibliotek")


@pytest.mark.req("R1.1")
def test_handles_are_validated_per_platform_in_swedish(team):
    with pytest.raises(ValidationError) as error:
        request(team, handle="osby bibliotek!")
    assert "Instagram-namn får bara innehålla" in error.value.messages[0]
    x = Platform.objects.get(key="x")
    with pytest.raises(ValidationError, match="högst 15 tecken"):
        request(team, platform=x, handle="osbykommunsbibliotek")


@pytest.mark.req("R1.1")
def test_a_new_platform_is_data_not_code(team):
    Platform.objects.create(
        key="threads",
        name="Threads",
        sort_order=5,
        url_template="https://www.threads.net/@{handle}",
        handle_pattern=r"^[a-z0-9._]{1,30}$",
        handle_rule="Threads-namn får bara innehålla a–z, 0–9, . och _.",
    )
    channel = request(team, platform=Platform.objects.get(key="threads"), handle="osby")
    assert channel.url == "https://www.threads.net/@osby"


@pytest.mark.req("R1.3")
def test_purposes_are_required_and_recorded(team):
    with pytest.raises(ValidationError):
        request(team, purposes=[])
    with pytest.raises(ValidationError):
        request(team, purposes=["sell_ads"])
    from kanalvakt.registry.reports import channels_by_purpose

    channel = request(team)
    assert channels_by_purpose(Channel.objects.filter(pk=channel.pk)) == {
        "communicate": 1,
        "new_audiences": 1,
    }


@pytest.mark.req("R2.1", "R2.2")
@pytest.mark.django_db(transaction=True)  # mail is sent on commit
def test_each_step_sends_mail_over_real_smtp(team, smtp_server, credentials_deposited):
    channel = request(team)
    actions.decide_request(team["manager"], channel, approve=True)
    actions.record_consultation(team["communicator"], channel, advice="Ok.")
    actions.activate_channel(team["office"], channel)
    recipients = [m["To"] for m in smtp_server]
    assert recipients[0] == team["manager"].person.email
    assert team["communicator"].person.email in recipients  # asked to consult
    assert team["office"].person.email in recipients  # ready to activate
    assert team["deputy"].person.email in recipients  # activated
    assert "Osby bibliotek" in smtp_server[0].get_payload(decode=True).decode()
