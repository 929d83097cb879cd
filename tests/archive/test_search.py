"""Archive search on both engines: inflections, å/ä/ö, filters, paging, public rules."""

from datetime import UTC, datetime, timedelta

import pytest

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item, PublicRecordStatus
from kanalvakt.archive.search import SearchFilters, index_items, reindex_all, search
from kanalvakt.capture.types import CapturedItem
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def captured(external_id, text, *, minutes=0, owner=True):
    return CapturedItem(
        platform="facebook",
        external_id=external_id,
        kind="post",
        parent_external_id=None,
        root_external_id=external_id,
        author_external_id="111" if owner else "u1",
        author_display_name="Osby kommun" if owner else "Anna",
        author_is_owner=owner,
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        raw={"id": external_id},
    )


@pytest.fixture
def channels():
    first = make_channel(platform="facebook", handle="osbykommun.sok1")
    second = make_channel(platform="facebook", handle="osbykommun.sok2")
    ingest(first, [
        captured("a", "Tack för din kommentar om badplatsen", minutes=1),
        captured("b", "Vi läser alla kommentarer", minutes=2),
        captured("c", "Kommentaren är besvarad", minutes=3),
        captured("d", "Båten ligger vid sjön", minutes=4),
        captured("e", "Baten är ett annat ord", minutes=5, owner=False),
    ], source="test")  # fmt: skip
    ingest(second, [captured("f", "En kommentar i en annan kanal", minutes=6)], source="test")
    return first, second


def ids(page):
    return [hit.item.external_id for hit in page.hits]


@pytest.mark.req("R7.3")
def test_swedish_inflections_match(channels):
    for word in ("kommentar", "kommentarer", "kommentaren", "KOMMENTARER"):
        assert ids(search(word)) == ["f", "c", "b", "a"], word


@pytest.mark.req("R7.3")
def test_a_ring_a_umlaut_and_o_umlaut_stay_distinct(channels):
    assert ids(search("båten")) == ["d"]
    assert ids(search("baten")) == ["e"]


@pytest.mark.req("R7.3")
def test_words_are_anded_and_highlighted(channels):
    page = search("kommentar badplatsen")
    assert ids(page) == ["a"]
    assert "<mark>kommentar</mark>" in page.hits[0].snippet
    assert "<mark>badplatsen</mark>" in page.hits[0].snippet


def test_filters(channels):
    _, second = channels
    assert ids(search("kommentar", SearchFilters(channel_ids=[second.pk]))) == ["f"]
    assert ids(search("", SearchFilters(author_is_owner=False))) == ["e"]
    assert ids(search("", SearchFilters(date_from=T0.date(), date_to=T0.date())))[:1] == ["f"]


def test_cursor_pages_are_stable(channels):
    first = search("", page_size=4)
    assert ids(first) == ["f", "e", "d", "c"] and first.next_cursor
    second = search("", cursor=first.next_cursor, page_size=4)
    assert ids(second) == ["b", "a"] and second.next_cursor is None
    assert ids(search("", cursor="not-a-cursor", page_size=2)) == ["f", "e"]


@pytest.mark.req("R7.5")
def test_withheld_items_never_found_publicly(channels):
    Item.objects.filter(external_id="a").update(
        public_record_status=PublicRecordStatus.NOT_PUBLIC_RECORD
    )
    Item.objects.filter(external_id="b").update(hidden_on_platform=True)
    assert ids(search("kommentar")) == ["f", "c"]
    assert ids(search("kommentar", public_only=False)) == ["f", "c", "b", "a"]


def test_query_syntax_is_not_interpreted(channels):
    for query in ("NEAR(a b)", "a:b", "'; DROP TABLE x"):
        assert ids(search(query)) == []  # taken as words, none of which is in the archive
    for query in ('"', "*"):
        assert ids(search(query)) == ids(search(""))  # no words: the newest, as for ""
    # Operators are plain words too: "OR" does not widen the search beyond its other word.
    assert set(ids(search("kommentar OR"))) <= set(ids(search("kommentar")))
    assert ids(search("båten")) == ["d"]  # and the index is intact afterwards


def test_reindex_follows_edited_text(channels):
    item = Item.objects.get(external_id="d")
    Item.objects.filter(pk=item.pk).update(text="Cykeln står vid sjön")
    index_items([item.pk])
    assert ids(search("båten")) == []
    assert ids(search("cykeln")) == ["d"]
    assert reindex_all() == 6


def test_word_pages_walk_past_withheld_matches(channels, monkeypatch):
    # Small chunks force the SQLite walk through several chunks, most of them withheld.
    monkeypatch.setattr("kanalvakt.archive.search_sqlite.FIRST_CHUNK", 1)
    first, _ = channels
    many = [captured(f"w{n}", "kommentar som väntar", minutes=10 + n) for n in range(30)]
    ingest(first, many, source="test")
    Item.objects.filter(external_id__startswith="w").update(hidden_on_platform=True)
    page = search("kommentar", page_size=2)
    assert ids(page) == ["f", "c"]
    rest = search("kommentar", cursor=page.next_cursor, page_size=2)
    assert ids(rest) == ["b", "a"] and rest.next_cursor is None
    assert len(search("kommentar", public_only=False, page_size=50).hits) == 34


def test_facet_filters_inside_the_index(channels):
    first, second = channels
    assert ids(search("kommentar", SearchFilters(channel_ids=[first.pk]))) == ["c", "b", "a"]
    both = SearchFilters(channel_ids=[first.pk, second.pk], kind="post", platform="facebook")
    assert ids(search("kommentar", both)) == ["f", "c", "b", "a"]
    assert ids(search("kommentar", SearchFilters(kind="comment"))) == []
    assert ids(search("baten", SearchFilters(author_is_owner=True))) == []


def test_moderation_filter(channels):
    from kanalvakt.moderation.models import ModerationCase

    item = Item.objects.get(external_id="e")
    ModerationCase.objects.create(item=item, captured_at=item.captured_at)
    assert ids(search("", SearchFilters(moderation="open"), public_only=False)) == ["e"]
    unflagged = ids(search("", SearchFilters(moderation="unflagged"), public_only=False))
    assert unflagged == ["f", "d", "c", "b", "a"]
    assert ids(search("baten", SearchFilters(moderation="open"), public_only=False)) == ["e"]
    assert ids(search("båten", SearchFilters(moderation="open"), public_only=False)) == []


def test_missing_index_rows_are_rebuilt_after_migrate(channels):
    from kanalvakt.archive.search_models import SearchEntry

    SearchEntry.objects.all().delete()
    assert ids(search("kommentar")) == []
    assert reindex_all(missing_only=True) == 6
    assert reindex_all(missing_only=True) == 0
    assert ids(search("kommentar")) == ["f", "c", "b", "a"]


def test_a_snippet_is_escaped_text_with_only_the_hits_marked():
    from kanalvakt.archive.search_text import highlight, query_stems

    text = "Inledning " * 20 + "<script>alert(1)</script> om badplatsen & <b>mer</b> " + "x" * 300
    snippet = highlight(text, query_stems("badplatsen"))
    assert "<mark>badplatsen</mark>" in snippet and snippet.count("<mark>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet and "<script>" not in snippet
    assert "&amp; &lt;b&gt;mer&lt;/b&gt;" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")  # cut on both sides
