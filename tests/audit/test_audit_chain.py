import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.utils import DatabaseError

from kanalvakt.audit import log
from kanalvakt.audit.models import AuditEvent
from kanalvakt.audit.verify import verify_chain
from kanalvakt.organisation.access import SystemActor

pytestmark = pytest.mark.django_db


def write_events(n, actor=None):
    with transaction.atomic():
        return [
            log.record(actor or SystemActor("test"), "test.event", None, {"n": i, "text": "åäö"})
            for i in range(n)
        ]


def raw_update(sql, params):
    """Alter a row behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
        else:
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
            )
        cursor.execute(sql, params)


def test_intact_chain_verifies():
    write_events(5)
    report = verify_chain()
    assert report.ok and report.checked == 5


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        log.record(SystemActor("test"), "test.event")


def test_altered_payload_names_the_event():
    events = write_events(5)
    raw_update(
        "UPDATE audit_auditevent SET payload = %s WHERE id = %s", ['{"n": 99}', events[2].id]
    )
    report = verify_chain()
    assert not report.ok
    assert report.problem.seq == events[2].seq
    assert "altered" in str(report.problem)


def test_altered_and_rehashed_event_is_named_not_its_successor():
    events = write_events(5)
    victim = AuditEvent.objects.get(pk=events[1].pk)
    victim.actor_label = "someone else"
    from kanalvakt.audit.chain import hash_of_row

    raw_update(
        "UPDATE audit_auditevent SET actor_label = %s, hash = %s WHERE id = %s",
        ["someone else", hash_of_row(victim), victim.id],
    )
    report = verify_chain()
    assert report.problem.seq == events[1].seq


def test_removed_event_is_detected():
    events = write_events(5)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
            )
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].id])
    report = verify_chain()
    assert report.problem.seq == events[3].seq
    assert "missing" in report.problem.reason


def test_reordered_events_are_detected():
    events = write_events(4)
    raw_update("UPDATE audit_auditevent SET seq = -1 WHERE id = %s", [events[1].id])
    raw_update("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [events[1].seq, events[2].id])
    raw_update("UPDATE audit_auditevent SET seq = %s WHERE id = %s", [events[2].seq, events[1].id])
    assert not verify_chain().ok


def test_events_survive_deletion_of_the_user(make_user):
    user = make_user()
    with transaction.atomic():
        event = log.record(user, "test.event", user)
    user_id = user.pk
    get_user_model().objects.filter(pk=user_id).delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id == user_id and user.username in event.actor_label
    assert verify_chain().ok


def test_database_refuses_update():
    [event] = write_events(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_delete():
    [event] = write_events(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
