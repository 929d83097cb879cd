"""RSS/Atom normaliser (hand-written samples; see fixtures/rss/SOURCE.txt)."""

import pytest

from capture.helpers import FIXTURES, split
from kanalvakt.capture.normalize import rss
from kanalvakt.capture.types import ChannelIdentity

NEWS = ChannelIdentity("rss", "https://www.osby.se/nyheter.rss")


@pytest.mark.req("R7.5")
def test_rss_items_own_kept_foreign_skipped_malformed_reported():
    document = (FIXTURES / "rss" / "news.rss").read_bytes()
    items, errors, skipped = split(rss.items_from_feed(document, NEWS))
    assert document.count(b"<item>") == len(items) + len(errors) + len(skipped)
    assert [i.external_id for i in items] == [
        "osby-nyhet-1001",
        "https://www.osby.se/nyheter/detaljplan",
    ]
    assert len(skipped) == 1 and len(errors) == 1
    hostile = items[1]
    assert "<script>alert('x')</script>" in hostile.text  # stored as received
    assert hostile.text_plain == "Läs mer"
    assert hostile.created_at.isoformat() == "2024-05-03T06:00:00+00:00"
    assert all(i.author_is_owner and i.kind == "post" for i in items)


def test_atom_entries_with_update():
    document = (FIXTURES / "rss" / "blog.atom").read_bytes()
    blog = ChannelIdentity("rss", "https://blogg.osby.se/feed.atom")
    items, errors, skipped = split(rss.items_from_feed(document, blog))
    assert len(items) == document.count(b"<entry>") and not errors and not skipped
    updated, first = items
    assert updated.edited_at is not None and first.edited_at is None
    assert updated.text_plain == "Sommaren i Osby & omnejd." and updated.language == "sv"
    assert updated.author_display_name == "Kommunikationsavdelningen"
