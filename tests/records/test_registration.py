"""Registration (diarieföring) of archived items to a case: case-number format, the
confidentiality mark, permissions, the moderation hand-over and the retention query."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from archived_threads import archived_comments
from kanalvakt.audit.models import AuditEvent
from kanalvakt.moderation.actions import decide
from kanalvakt.moderation.models import ModerationCase
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.records.registration import (
    mark_confidential,
    register,
    registered_item_ids,
    request_registration,
)
from kanalvakt.records.registration_models import Registration, RegistrationItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(db):
    from registry.helpers import make_channel

    return make_channel(platform="facebook", handle="osby.registrering")


@pytest.fixture
def registrar(make_user):
    return make_user(Role.REGISTRAR)


@pytest.fixture
def comments(channel):
    return archived_comments(
        channel, "Jag vill överklaga bygglovet för Ekebo 2:14.", "Samma sak gäller granntomten."
    )


@pytest.mark.req("R7.4")
def test_items_are_registered_to_a_case_with_the_diary_data(registrar, comments):
    registration = register(
        registrar,
        items=comments,
        case_number="  MBN   2026/45 ",
        received_on=date(2026, 3, 2),
        direction="received",
        sender="Anna Andersson",
        description="Överklagande av bygglov, Ekebo 2:14",
    )
    registration.refresh_from_db()
    assert registration.state == "registered" and registration.case_number == "MBN 2026/45"
    assert list(registration.items.order_by("pk")) == comments
    assert registration.received_on == date(2026, 3, 2) and registration.direction == "received"
    assert registration.sender == "Anna Andersson" and registration.registered_at
    assert registration.registered_by.endswith(f"({registrar.username})")
    assert not registration.confidential
    event = AuditEvent.objects.get(action="records.registration.register")
    assert event.payload["case_number"] == "MBN 2026/45"
    assert event.payload["items"] == [c.pk for c in comments]
    # Kept regardless of retention: the retention helper asks for these ids.
    assert registered_item_ids() == {c.pk for c in comments}
    assert registered_item_ids([comments[0].pk, 999999]) == {comments[0].pk}


@pytest.mark.req("R7.4")
@pytest.mark.parametrize(
    "case_number",
    ["", "KS2026/123", "ks 2026/123", "KS 26/123", "XX 2026/1", "KS 2026/123456", "KS 2026-123"],
)
def test_a_case_number_in_the_wrong_format_is_refused_and_nothing_stored(
    registrar, comments, case_number
):
    with pytest.raises(ValidationError) as error:
        register(registrar, items=comments, case_number=case_number, description="Överklagande")
    assert "KS 2026/123" in " ".join(error.value.messages)  # the Swedish hint shows the format
    assert not Registration.objects.exists() and not RegistrationItem.objects.exists()
    assert not AuditEvent.objects.filter(action="records.registration.register").exists()


@pytest.mark.req("R7.4")
def test_the_case_number_format_is_configurable(registrar, comments, settings):
    settings.RECORDS_CASE_NUMBER_PATTERN = r"^Dnr \d{4}-\d+$"
    settings.RECORDS_CASE_NUMBER_EXAMPLE = "Dnr 2026-17"
    with pytest.raises(ValidationError, match="Dnr 2026-17"):
        register(registrar, items=comments, case_number="KS 2026/1", description="x")
    registration = register(registrar, items=comments, case_number="Dnr 2026-17", description="x")
    assert registration.case_number == "Dnr 2026-17"


@pytest.mark.req("R7.4")
def test_an_item_is_registered_to_a_case_only_once(registrar, comments):
    register(registrar, items=comments[:1], case_number="KS 2026/7", description="Synpunkt")
    with pytest.raises(ValidationError, match=str(comments[0].pk)):
        register(registrar, items=comments, case_number="KS 2026/7", description="Igen")
    assert Registration.objects.count() == 1 and RegistrationItem.objects.count() == 1
    # The same item may belong to another case.
    register(registrar, items=comments[:1], case_number="KS 2026/8", description="Annat ärende")
    assert RegistrationItem.objects.filter(item=comments[0]).count() == 2


def test_no_items_or_no_description_is_refused(registrar, comments):
    with pytest.raises(ValidationError, match=r"minst ett|at least one"):
        register(registrar, items=[], case_number="KS 2026/1", description="x")
    with pytest.raises(ValidationError):
        register(registrar, items=comments, case_number="KS 2026/1", description="  ")
    assert not Registration.objects.exists()


@pytest.mark.req("R7.6")
def test_the_confidentiality_mark_records_provision_time_and_person(registrar, comments):
    registration = register(
        registrar, items=comments, case_number="SN 2026/310", description="Orosanmälan"
    )
    assert not registration.masked
    mark_confidential(registrar, registration, osl_provision="OSL 26 kap. 1 §")
    registration.refresh_from_db()
    assert registration.osl_provision == "OSL 26 kap. 1 §"
    assert registration.confidential_marked_at is not None
    assert registration.confidential_marked_by.endswith(f"({registrar.username})")
    assert registration.masked  # a confidential registration is masked in extracts
    event = AuditEvent.objects.get(action="records.registration.mark_confidential")
    assert event.payload == {"from": "", "to": "OSL 26 kap. 1 §", "masked": True}
    with pytest.raises(ValidationError):
        mark_confidential(registrar, registration, osl_provision="hemligt")
    registration.refresh_from_db()
    assert registration.osl_provision == "OSL 26 kap. 1 §"


@pytest.mark.req("R7.4")
def test_a_pending_registration_gets_its_case_number(registrar, comments):
    pending = request_registration(
        SystemActor("moderation"),
        comments[:1],
        "Sekretessbelagt",
        confidential=True,
        osl_provision="OSL 25 kap. 1 §",
    )
    assert pending.state == "pending" and pending.case_number == ""
    assert pending.masked and pending.confidential_marked_by == "system:moderation"
    assert registered_item_ids() == {comments[0].pk}  # kept already while pending
    with pytest.raises(ValidationError):
        register(registrar, pending, case_number="fel", description="x")
    pending.refresh_from_db()
    assert pending.state == "pending"
    register(registrar, pending, case_number="KS 2026/99", description="Kommentar, sekretess")
    pending.refresh_from_db()
    assert pending.state == "registered" and pending.osl_provision == "OSL 25 kap. 1 §"
    assert set(pending.links.values_list("case_number", flat=True)) == {"KS 2026/99"}
    with pytest.raises(ValidationError):
        register(registrar, pending, case_number="KS 2026/100", description="x")


@pytest.mark.req("R7.6")
def test_moderation_remove_and_register_leaves_a_pending_confidential_registration(
    channel, make_user
):
    moderator = make_user(Role.MODERATOR)
    (item,) = archived_comments(
        channel, "Lisa Berg på Storgatan 5 har kontakt med socialtjänsten sedan i våras."
    )
    case = ModerationCase.objects.get(item=item)
    decide(moderator, case, decision="remove_and_register", reason="Socialtjänstuppgifter")
    registration = Registration.objects.get()
    assert registration.state == "pending" and list(registration.items.all()) == [item]
    assert registration.osl_provision.startswith("OSL ") and registration.masked
    assert registration.origin == f"moderation:{case.pk}"
    assert registration.reason == "Socialtjänstuppgifter"
    assert AuditEvent.objects.get(action="records.registration.request").actor_label == (
        "system:moderation"
    )


@pytest.mark.req("R7.4")
@pytest.mark.parametrize("role", [Role.ACCOUNT_OWNER, Role.AUDITOR, Role.CENTRAL_OFFICE])
def test_only_the_registrar_registers(make_user, comments, role):
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        register(user, items=comments, case_number="KS 2026/5", description="x")
    with pytest.raises(PermissionDenied):
        request_registration(user, comments, "x")
    assert not Registration.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied").count() == 2


@pytest.mark.req("R7.4")
def test_compliance_warns_when_a_registration_waits_too_long(channel, comments, registrar):
    from datetime import timedelta

    from django.utils import timezone

    from kanalvakt.compliance.evaluate import channels_for_compliance, evaluate
    from kanalvakt.records.registration_compliance import working_days_between
    from kanalvakt.registry.models import Channel

    def status():
        [report] = evaluate(channels_for_compliance(Channel.objects.filter(pk=channel.pk)))
        return next(r.status for r in report.results if r.key == "registration_pending")

    assert status() == "not_applicable"  # no registration: nothing to say
    pending = request_registration(SystemActor("moderation"), comments[:1], "x")
    assert status() == "ok"
    Registration.objects.filter(pk=pending.pk).update(
        requested_at=timezone.now() - timedelta(days=10)
    )
    assert status() == "warning"
    register(registrar, pending, case_number="KS 2026/3", description="Registrerad")
    assert status() == "not_applicable"
    # Easter 2026: Good Friday 3 April and Easter Monday 6 April are not working days.
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1


def test_confidential_items_can_be_withheld_by_a_query(registrar, comments):
    from kanalvakt.archive.models import Item
    from kanalvakt.records.registration import confidential_items_q

    registration = register(registrar, items=comments[:1], case_number="KS 2026/2", description="x")
    assert not Item.objects.filter(confidential_items_q()).exists()
    mark_confidential(registrar, registration, osl_provision="OSL 26 kap. 1 §")
    assert list(Item.objects.filter(confidential_items_q())) == comments[:1]
