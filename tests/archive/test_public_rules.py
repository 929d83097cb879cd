"""Only public records of public kinds, not removed, hidden or held by moderation, are
ever shown publicly (R7.3, R7.5)."""

from datetime import UTC, datetime

import pytest

from archived_threads import captured
from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item, PublicRecordStatus
from kanalvakt.archive.public_rules import is_public, public_items
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def items():
    channel = make_channel(platform="facebook", handle="osbykommun.rules")
    ingest(
        channel,
        [
            captured("p1"),
            captured("c1", kind="comment", owner=False, parent="p1"),
            captured("c2", kind="comment", owner=False, parent="p1"),
            captured("c3", kind="comment", owner=False, parent="p1"),
            captured("c4", kind="comment", owner=False, parent="p1"),
        ],
        source="test",
    )
    return {item.external_id: item for item in Item.objects.all()}


def visible():
    return set(public_items().values_list("external_id", flat=True))


@pytest.mark.req("R7.5")
def test_withheld_items_are_never_public(items):
    Item.objects.filter(external_id="c1").update(
        public_record_status=PublicRecordStatus.NOT_PUBLIC_RECORD
    )
    Item.objects.filter(external_id="c2").update(hidden_on_platform=True)
    Item.objects.filter(external_id="c3").update(deleted_on_platform_at=T0)
    Item.objects.filter(external_id="c4").update(kind="direct_message")
    assert visible() == {"p1"}
    assert [is_public(items[key]) for key in ("p1", "c1", "c2", "c3", "c4")] == [
        True, False, False, False, False
    ]  # fmt: skip


@pytest.mark.req("R7.5")
def test_received_comments_can_be_kept_off_the_public_pages(items, settings):
    assert "c1" in visible() and is_public(items["c1"])  # Osby's default: shown
    settings.ARCHIVE_SHOW_RECEIVED_PUBLICLY = False
    assert visible() == {"p1"}
    assert not is_public(items["c1"])  # the compiled record-page lookup follows the setting


@pytest.mark.req("R7.5")
def test_moderation_withholds_until_decided_to_keep(items):
    moderation = pytest.importorskip("kanalvakt.moderation.models")
    case = moderation.ModerationCase.objects.create(item=items["c1"], captured_at=T0)
    assert "c1" not in visible()  # awaiting a decision: fail closed
    case.state, case.decision = "decided", "remove"
    case.save()
    assert "c1" not in visible()
    case.decision = "keep"
    case.save()
    assert "c1" in visible()


@pytest.mark.req("R7.6")
def test_items_registered_as_confidential_are_withheld(items):
    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.records.registration import register

    actor = SystemActor("test")
    register(actor, items=[items["c1"]], case_number="KS 2026/1", description="Synpunkt")
    register(
        actor,
        items=[items["c2"]],
        case_number="KS 2026/2",
        description="Uppgifter om en enskild",
        osl_provision="OSL 26 kap. 1 §",
    )
    assert is_public(items["c1"])  # registered, not confidential: still public
    assert not is_public(items["c2"])
    assert set(public_items().values_list("external_id", flat=True)) == {"p1", "c1", "c3", "c4"}
