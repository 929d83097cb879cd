"""Retention rules and disposal proposals (R7.1): what is proposed, what is kept, who decides."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archived_threads import captured
from kanalvakt.archive.ingest import ingest
from kanalvakt.audit.models import AuditEvent
from kanalvakt.moderation.models import Decision, ModerationCase
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.records.holds import place_hold
from kanalvakt.records.registration_models import Registration, RegistrationItem
from kanalvakt.records.retention import (
    change_class,
    decide_run,
    eligible_items,
    months_before,
    propose_monthly,
    propose_run,
    sample,
)
from kanalvakt.records.retention_models import DisposalCandidate, DisposalRun, RetentionClass
from records.retention_helpers import thread
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R7.1")]
SYSTEM = SystemActor("test")


@pytest.fixture
def channel():
    return make_channel(platform="facebook", handle="osby.retention")


def proposed_ids(run):
    return set(DisposalCandidate.objects.filter(run=run).values_list("item_id", flat=True))


def test_osby_default_classes_are_installed_and_survive_a_flush():
    classes = {c.code: c for c in RetentionClass.objects.all()}
    assert classes["third-party-temporary"].period_months == 12
    assert classes["own-posts"].keeps_for_ever
    assert all(c.decision_reference for c in classes.values())


def test_months_before_keeps_the_calendar():
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(
        2024, 12, 15, tzinfo=UTC
    )


def test_old_third_party_comments_are_proposed_own_posts_and_live_threads_kept(channel):
    _, old_comments = thread(channel)
    recent = timezone.now() - timedelta(days=30)
    thread(channel, comment_at=recent)  # an old post, new comments
    # An old comment in a thread that got a new comment: the thread is still current.
    _, mixed = thread(channel, comments=1)
    root = mixed[0].root
    ingest(
        channel,
        [
            captured(
                f"{root.external_id}_new",
                "Ny fråga",
                kind="comment",
                root=root.external_id,
                parent=root.external_id,
                owner=False,
                at=recent,
            )
        ],
        source="test",
    )
    run = propose_run(SYSTEM)
    assert proposed_ids(run) == {c.pk for c in old_comments}
    assert run.candidate_count == 2
    assert run.summary["channels"] == [[channel.pk, channel.display_name, 2]]
    candidate = DisposalCandidate.objects.filter(run=run).first()
    assert candidate.last_activity_at == old_comments[0].created_on_platform_at
    assert candidate.retention_class.code == "third-party-temporary"
    assert {c.item_id for c in sample(run)} == {c.pk for c in old_comments}
    assert AuditEvent.objects.filter(
        action="records.disposal.propose", object_id=str(run.pk)
    ).exists()


def test_registered_confidential_and_held_items_are_never_proposed(channel):
    _, comments = thread(channel, comments=5)
    registration = Registration.objects.create(case_number="KS 2026/1", state="registered")
    RegistrationItem.objects.create(registration=registration, item=comments[0])
    ModerationCase.objects.create(
        item=comments[1],
        captured_at=timezone.now(),
        state="decided",
        decision=Decision.REMOVE_AND_REGISTER,
    )
    ModerationCase.objects.create(item=comments[2], captured_at=timezone.now())  # undecided
    place_hold(SYSTEM, reason="Begäran", reference="KS 2026/2", item_ids=[comments[3].pk])
    run = propose_run(SYSTEM)
    assert proposed_ids(run) == {comments[4].pk}


def test_a_channel_hold_keeps_the_whole_range(channel):
    thread(channel)
    place_hold(SYSTEM, reason="Överklagande", reference="KS 2026/3", channel=channel)
    assert propose_run(SYSTEM).candidate_count == 0


def test_a_keep_for_ever_class_or_an_inactive_class_proposes_nothing(channel, make_user):
    thread(channel)
    archivist = make_user(Role.ARCHIVIST)
    cls = RetentionClass.objects.get(code="third-party-temporary")
    change_class(archivist, cls, period_months=None)
    assert not eligible_items(timezone.now()).exists()
    change_class(archivist, cls, period_months=12, active=False)
    assert not eligible_items(timezone.now()).exists()
    change_class(archivist, cls, active=True, period_months=120)  # ten years: not yet
    assert not eligible_items(timezone.now()).exists()
    assert AuditEvent.objects.filter(action="records.retention.change_class").count() == 3


def test_proposal_is_set_based(channel, django_assert_max_num_queries):
    for _ in range(5):
        thread(channel, comments=4)
    with CaptureQueriesContext(connection) as queries:
        run = propose_run(SYSTEM)
    assert run.candidate_count == 20
    assert len(queries) < 25, [q["sql"][:120] for q in queries]
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "records_disposalcandidate"')]
    assert len(inserts) == 1 and "SELECT" in inserts[0]["sql"]


def test_only_one_open_run_and_the_monthly_job_waits_for_it(channel):
    thread(channel)
    propose_run(SYSTEM)
    with pytest.raises(ValidationError):
        propose_run(SYSTEM)
    assert propose_monthly.call() == -1
    assert DisposalRun.objects.count() == 1


def test_approval_needs_an_archivist_other_than_the_proposer_and_a_comment(channel, make_user):
    thread(channel)
    proposer, other = make_user(Role.ARCHIVIST), make_user(Role.ARCHIVIST)
    run = propose_run(proposer)
    for role in (Role.AUDITOR, Role.REGISTRAR, Role.CENTRAL_OFFICE):
        with pytest.raises(PermissionDenied):
            decide_run(make_user(role), run, approve=True, comment="ok")
    with pytest.raises(ValidationError):
        decide_run(proposer, run, approve=True, comment="Granskad")
    with pytest.raises(ValidationError):
        decide_run(other, run, approve=True, comment="  ")
    run.refresh_from_db()
    assert run.state == DisposalRun.State.PROPOSED
    decide_run(other, run, approve=False, comment="Fel urval")
    run.refresh_from_db()
    assert run.state == DisposalRun.State.REJECTED and run.decision_comment == "Fel urval"
    with pytest.raises(ValidationError):
        decide_run(other, run, approve=True, comment="ändå")
    # A rejected run no longer blocks the next proposal.
    assert propose_run(SYSTEM).candidate_count == 2


def test_a_system_proposal_may_be_approved_by_any_archivist(channel, make_user):
    thread(channel)
    run = propose_run(SYSTEM)
    decide_run(make_user(Role.ARCHIVIST), run, approve=True, comment="Granskad, stickprov ok")
    run.refresh_from_db()
    assert run.state == DisposalRun.State.APPROVED


def test_recent_activity_of_a_held_item_still_keeps_its_thread_current(channel):
    """The thread's last activity counts every item, also those that are themselves kept."""
    _, comments = thread(channel, comments=3)
    place_hold(SYSTEM, reason="Begäran", reference="KS 2026/5", item_ids=[comments[0].pk])
    from kanalvakt.archive.models import Item

    Item.objects.filter(pk=comments[0].pk).update(edited_at=timezone.now())
    assert propose_run(SYSTEM).candidate_count == 0
    assert not eligible_items(timezone.now()).exists()  # the execution re-check agrees
