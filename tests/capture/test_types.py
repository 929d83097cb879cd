"""The capture contract itself: validation, content hash, identity, HTML to text."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kanalvakt.capture.normalize._common import html_to_text, parse_time
from kanalvakt.capture.types import CapturedItem, ChannelIdentity, MediaRef, ProfileSnapshot


def make(**overrides):
    fields = dict(
        platform="facebook",
        external_id="1_2",
        kind="post",
        parent_external_id=None,
        root_external_id="1_2",
        author_external_id="1",
        author_display_name="Osby kommun",
        author_is_owner=True,
        text="Hej",
        created_at=datetime(2024, 5, 2, 7, 30, tzinfo=UTC),
        raw={"id": "1_2", "likes": 3},
    )
    fields.update(overrides)
    return CapturedItem(**fields)


def test_times_are_normalised_to_utc():
    cest = timezone(timedelta(hours=2))
    item = make(created_at=datetime(2024, 5, 2, 9, 30, tzinfo=cest))
    assert item.created_at == datetime(2024, 5, 2, 7, 30, tzinfo=UTC)
    assert item.created_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize("field", ["created_at", "edited_at", "deleted_at"])
def test_naive_times_are_rejected(field):
    with pytest.raises(ValueError, match="timezone-aware"):
        make(**{field: datetime(2024, 5, 2, 7, 30)})


def test_unknown_kind_and_platform_are_rejected():
    with pytest.raises(ValueError):
        make(kind="story")
    with pytest.raises(ValueError):
        make(platform="myspace")


def test_content_hash_ignores_counters_and_signed_cdn_queries():
    a = make(media=(MediaRef("https://scontent.xx.fbcdn.net/p.jpg?oh=1&oe=2"),))
    b = make(
        raw={"id": "1_2", "likes": 99},
        media=(MediaRef("https://scontent.xx.fbcdn.net/p.jpg?oh=3&oe=4"),),
    )
    assert a.content_hash() == b.content_hash()
    assert len(a.content_hash()) == 64


def test_content_hash_changes_with_text_edit_media_and_deletion():
    base = make()
    edited_at = datetime(2024, 5, 3, tzinfo=UTC)
    variants = [
        make(text="Hej!"),
        make(edited_at=edited_at),
        make(media=(MediaRef("https://example.org/a.jpg"),)),
        make(deleted_at=edited_at),
        make(title="Rubrik"),
    ]
    hashes = {base.content_hash(), *(v.content_hash() for v in variants)}
    assert len(hashes) == 1 + len(variants)


def test_identity_prefers_ids_and_falls_back_to_handle():
    identity = ChannelIdentity("instagram", "178", "osbykommun")
    assert identity.is_self("178")
    assert not identity.is_self("999", "osbykommun")  # an id decides when present
    assert identity.is_self(None, "@OsbyKommun")
    assert not identity.is_self(None, None)


def test_profile_snapshot_reports_changed_fields():
    before = ProfileSnapshot("Osby kommun", "a.png", "b.png", "Bio")
    after = ProfileSnapshot("Osby kommun", "a2.png", "b.png", "Bio")
    assert after.changed_fields(before) == ("avatar_url",)
    assert after.changed_fields(None) == ()


def test_html_to_text_parses_but_never_keeps_active_content():
    html = (
        '<p>Hej <a href="https://x.example">@<span>anna</span></a></p>'
        "<p>rad två<br>rad tre &amp; &lt;b&gt;</p><script>alert(1)</script>"
        '<span class="invisible">https://</span><img src=x onerror=alert(1)>'
    )
    assert html_to_text(html) == "Hej @anna\n\nrad två\nrad tre & <b>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-07-04T19:50:58+0000", datetime(2021, 7, 4, 19, 50, 58, tzinfo=UTC)),
        ("2020-05-15T16:03:42.000Z", datetime(2020, 5, 15, 16, 3, 42, tzinfo=UTC)),
        ("Fri Mar 06 13:02:05 +0000 2026", datetime(2026, 3, 6, 13, 2, 5, tzinfo=UTC)),
        (1714635000, datetime(2024, 5, 2, 7, 30, tzinfo=UTC)),
        ("2024-05-02 07:30:00", datetime(2024, 5, 2, 7, 30, tzinfo=UTC)),
    ],
)
def test_parse_time_handles_every_platform_format(value, expected):
    assert parse_time(value) == expected
