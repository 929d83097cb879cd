"""The bulk upsert: idempotent, versioned, linked, public-record status, no N+1."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import CaptureError, Item, ItemVersion, Media, PublicRecordStatus
from kanalvakt.archive.signals import items_captured
from kanalvakt.capture.types import CapturedItem, MediaRef, Skipped
from kanalvakt.capture.types import CaptureError as CaptureErrorResult
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PAGE = "111"


def item(external_id, text="Hej", *, kind="post", parent=None, root=None, owner=False, **kw):
    root = root if root is not None else (external_id if parent is None else None)
    return CapturedItem(
        platform="facebook",
        external_id=external_id,
        kind=kind,
        parent_external_id=parent,
        root_external_id=root,
        author_external_id=PAGE if owner else "u1",
        author_display_name="Osby kommun" if owner else "Anna Andersson",
        author_is_owner=owner,
        text=text,
        created_at=kw.pop("created_at", T0),
        raw={"id": external_id, "message": text},
        **kw,
    )


@pytest.fixture
def channel():
    return make_channel(platform="facebook", handle="osbykommun.test")


@pytest.mark.req("R7.2")
def test_own_posts_are_drawn_up_and_comments_received(channel):
    report = ingest(
        channel,
        [
            item("1_1", "Välkommen till Osby!", owner=True),
            item("1_2", "Tack!", kind="comment", parent="1_1", root="1_1"),
        ],
        source="test",
    )
    assert report.added == 2
    post, comment = Item.objects.order_by("external_id")
    assert post.public_record_status == PublicRecordStatus.DRAWN_UP
    assert comment.public_record_status == PublicRecordStatus.RECEIVED
    assert comment.public_record_since == T0
    assert comment.parent == post and comment.root == post
    channel.refresh_from_db()
    assert channel.last_own_post_at == T0


def test_same_batch_twice_adds_nothing_and_an_edit_is_a_new_version(channel):
    batch = [item("1_1", owner=True), item("1_2", kind="comment", parent="1_1", root="1_1")]
    ingest(channel, batch, source="test")
    again = ingest(channel, batch, source="test")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert ItemVersion.objects.count() == 2
    edited = item("1_2", "Tack så mycket!", kind="comment", parent="1_1", root="1_1")
    report = ingest(channel, [edited], source="test")
    assert report.updated == 1
    comment = Item.objects.get(external_id="1_2")
    assert comment.text == "Tack så mycket!" and comment.version_count == 2
    first, second = comment.versions.order_by("number")
    assert (first.text, second.text) == ("Hej", "Tack så mycket!")
    assert len(second.sha256) == 64 and first.sha256 != second.sha256


def test_x_edit_keeps_first_seen_created_at(channel):
    original = item("9", "Första", owner=True, created_at=T0)
    edit = item("9", "Rättad", owner=True, created_at=T0 + timedelta(minutes=5))
    ingest(channel, [edit, original], source="test")
    stored = Item.objects.get(external_id="9")
    assert stored.created_on_platform_at == T0 and stored.version_count == 2


def test_children_before_parents_are_linked_when_the_parent_arrives(channel):
    ingest(channel, [item("1_3", kind="reply", parent="1_2", root="1_1")], source="test")
    ingest(channel, [item("1_2", kind="comment", parent="1_1", root="1_1")], source="test")
    ingest(channel, [item("1_1", owner=True)], source="test")
    reply = Item.objects.get(external_id="1_3")
    assert reply.parent.external_id == "1_2" and reply.root.external_id == "1_1"


def test_export_replies_without_root_take_the_root_of_their_parents(channel):
    ingest(
        channel,
        [
            item("r2", kind="reply", parent="r1", root=None, owner=True),
            item("r1", kind="reply", parent="p", root=None, owner=True),
        ],
        source="test",
    )
    ingest(channel, [item("p", owner=True)], source="test")
    assert {i.root_external_id for i in Item.objects.exclude(external_id="p")} == {"p"}
    assert Item.objects.get(external_id="r2").root.external_id == "p"


def test_malformed_and_skipped_results_do_not_stop_the_batch(channel):
    report = ingest(
        channel,
        [
            CaptureErrorResult("facebook", "bad", "missing field 'created_time'", {"id": "bad"}),
            Skipped("post on another page (R7.5)", "x"),
            item("ok"),
            item("z" * 800),
        ],
        source="test",
    )
    assert report.added == 1 and report.errors == 2 and report.skipped_count == 1
    assert CaptureError.objects.count() == 2
    assert '"bad"' in CaptureError.objects.get(external_id="bad").raw_json


def test_hostile_content_is_stored_as_data(channel):
    hostile = "<script>alert(1)</script>\u200b\x00" + "\udcff" + "å" * 100_000
    ingest(channel, [item("h", hostile)], source="test")
    stored = Item.objects.get(external_id="h")
    assert stored.text.startswith("<script>alert(1)</script>\u200b\ufffd\ufffd")
    assert len(stored.text) == len(hostile)
    assert "\\u0000" in stored.versions.get().raw_json


def test_media_rows_are_created_once(channel):
    ref = MediaRef("https://cdn.example/a.jpg?sig=1", "image/jpeg", "m1")
    ingest(channel, [item("m", media=(ref,))], source="test")
    ingest(channel, [item("m", media=(ref,))], source="test")
    assert Media.objects.get().identity_key == "id:m1"


@pytest.mark.req("R4.1")
def test_captured_items_are_handed_to_screening_after_commit(channel):
    seen = []

    def receiver(sender, channel, item_ids, source, **kwargs):
        seen.append(
            (
                source,
                sorted(Item.objects.filter(pk__in=item_ids).values_list("external_id", flat=True)),
            )
        )

    items_captured.connect(receiver)
    try:
        ingest(channel, [item("a"), item("b")], source="test")
        ingest(channel, [item("a"), item("b")], source="test")  # unchanged: nothing to screen
    finally:
        items_captured.disconnect(receiver)
    assert seen == [("test", ["a", "b"])]


def ingest_queries(context):
    return list(context.captured_queries)


@pytest.fixture
def without_screening():
    """The ingest's own statements only: other apps' receivers run their own queries."""
    saved = items_captured.receivers[:]
    items_captured.receivers.clear()
    items_captured.sender_receivers_cache.clear()
    yield
    items_captured.receivers[:] = saved
    items_captured.sender_receivers_cache.clear()


def selects(queries):
    return [q for q in queries if q["sql"].startswith("SELECT")]


def test_a_batch_costs_a_handful_of_queries(channel, without_screening):
    """No query per item: one SELECT, and INSERT/UPDATE statements split only by
    SQLite's bound-parameter limit."""
    batch = [item(f"p{i}", owner=True) for i in range(200)]
    batch += [item(f"c{i}", kind="comment", parent=f"p{i}", root=f"p{i}") for i in range(200)]
    with CaptureQueriesContext(connection) as queries:
        ingest(channel, batch, source="test", batch_size=1000)
    queries = ingest_queries(queries)
    assert len(queries) <= 30 and len(selects(queries)) == 1, [q["sql"][:80] for q in queries]
    assert Item.objects.filter(parent__isnull=False).count() == 200
    again = [
        item(f"c{i}", f"ändrad {i}", kind="comment", parent=f"p{i}", root=f"p{i}")
        for i in range(200)
    ]
    with CaptureQueriesContext(connection) as queries:
        ingest(channel, again + batch[:200], source="test", batch_size=1000)
    queries = ingest_queries(queries)
    assert len(queries) <= 15 and len(selects(queries)) == 1, [q["sql"][:80] for q in queries]
