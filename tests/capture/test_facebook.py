"""Facebook Page normaliser on recorded Graph API responses (python-facebook testdata)."""

import copy

import pytest

from capture.helpers import assert_aware_utc, assert_json_raw, load_json, split
from kanalvakt.capture.normalize import facebook
from kanalvakt.capture.types import ChannelIdentity

PAGE = ChannelIdentity("facebook", "19292868552", "FacebookforDevelopers")


def test_page_posts_pages_and_cursor():
    for name in ("feeds_default_fields_p1.json", "feeds_default_fields_p2.json"):
        payload = load_json("facebook", name)
        items, errors, skipped = split(
            facebook.items_from_feed_page(payload, PAGE, assume_page_author=True)
        )
        assert len(items) == len(payload["data"]) and not errors and not skipped
        for item, raw in zip(items, payload["data"], strict=True):
            assert item.external_id == raw["id"] and item.kind == "post"
            assert item.root_external_id == item.external_id and item.parent_external_id is None
            assert item.url == raw["permalink_url"]
            assert item.raw is raw
            assert_aware_utc(item)
            assert_json_raw(item)
    first = load_json("facebook", "feeds_default_fields_p1.json")
    assert facebook.next_cursor(first) == "after"
    assert facebook.next_cursor(load_json("facebook", "feeds_default_fields_p2.json")) is None
    assert facebook.next_page_url(load_json("facebook", "feed_fields_p1.json")).startswith(
        "https://graph.facebook.com/"
    )


def test_post_media_and_time():
    payload = load_json("facebook", "feeds_default_fields_p1.json")
    item = next(iter(facebook.items_from_feed_page(payload, PAGE, assume_page_author=True)))
    assert item.created_at.isoformat() == "2021-07-09T19:09:52+00:00"
    assert [m.external_id for m in item.media] == ["10158349355013553"]


@pytest.mark.req("R7.2")
def test_owner_is_drawn_up_only_when_the_page_wrote_it():
    payload = load_json("facebook", "feeds_default_fields_p1.json")
    own = list(facebook.items_from_feed_page(payload, PAGE, assume_page_author=True))
    assert all(item.author_is_owner for item in own)
    # /feed without a requested `from`: the author is unknown, so it is not claimed as own.
    unknown = list(facebook.items_from_feed_page(payload, PAGE))
    assert all(not item.author_is_owner and item.author_external_id is None for item in unknown)
    # A visitor post on the Page: kept (said to the channel), received.
    visitor = copy.deepcopy(payload["data"][0])
    visitor["from"] = {"id": "2711636948859886", "name": "Kun Liu"}
    (item,) = facebook.items_from_feed_page({"data": [visitor]}, PAGE)
    assert item.author_external_id == "2711636948859886" and not item.author_is_owner


def test_comments_stream_threads_replies_from_permalinks():
    for name in ("comments_p1.json", "comments_p2.json"):
        payload = load_json("facebook", name)
        items, errors, skipped = split(facebook.items_from_comments_page(payload, PAGE))
        assert len(items) == len(payload["data"]) and not errors and not skipped
        for item, raw in zip(items, payload["data"], strict=True):
            assert item.root_external_id == "19292868552_10158407654328553"
            is_reply = "reply_comment_id=" in raw["permalink_url"]
            assert item.kind == ("reply" if is_reply else "comment")
            assert_aware_utc(item)
    items, _, _ = split(
        facebook.items_from_comments_page(load_json("facebook", "comments_p1.json"), PAGE)
    )
    by_id = {item.external_id: item for item in items}
    reply = by_id["10158407654328553_10158409983033553"]
    assert reply.parent_external_id == "10158407654328553_10158407903973553"
    assert reply.parent_external_id in by_id  # the parent is on the same page
    assert by_id["10158407654328553_10158407835073553"].parent_external_id == (
        "19292868552_10158407654328553"
    )


def test_comment_with_author_and_attachment():
    identity = ChannelIdentity("facebook", "2121008874780932")
    (item,) = facebook.items_from_comments_page(
        load_json("facebook", "comment_model.json"), identity
    )
    assert item.external_id == "2954961744718970_2966313500250461"
    assert item.author_display_name == "Kun Liu" and not item.author_is_owner
    assert item.media[0].external_id == "909150133277173"


def test_messages_are_direct_messages_to_the_page():
    identity = ChannelIdentity("facebook", "2121008874780932")
    payload = load_json("facebook", "messages_info.json")
    items, errors, skipped = split(
        facebook.items_from_messages_page(payload, identity, conversation_id="t_587956915396498")
    )
    assert len(items) == len(payload) and not errors and not skipped
    assert {i.kind for i in items} == {"direct_message"}
    assert all(i.root_external_id == "t_587956915396498" for i in items)
    assert {m.mime_type for i in items for m in i.media} == {"image/jpeg", "video/mp4"}
    (single,) = facebook.items_from_messages_page(load_json("facebook", "message.json"), identity)
    assert single.text == "Love is peace!😏" and not single.author_is_owner


@pytest.mark.req("R7.5")
def test_foreign_pages_groups_and_conversations_are_dropped():
    group = load_json("facebook", "group_feed_p1.json")
    items, errors, skipped = split(facebook.items_from_feed_page(group, PAGE))
    assert not items and not errors and len(skipped) == len(group["data"])
    assert all("R7.5" in s.reason for s in skipped)
    other_page = ChannelIdentity("facebook", "4")
    comments = load_json("facebook", "comments_p1.json")
    items, _, skipped = split(facebook.items_from_comments_page(comments, other_page))
    assert not items and len(skipped) == len(comments["data"])
    messages = load_json("facebook", "messages_info.json")
    items, _, skipped = split(facebook.items_from_messages_page(messages, other_page))
    assert not items and len(skipped) == len(messages)


def test_malformed_post_becomes_error_and_the_page_goes_on():
    payload = copy.deepcopy(load_json("facebook", "feeds_default_fields_p1.json"))
    del payload["data"][1]["created_time"]
    payload["data"][2]["message"] = {"not": "text"}
    items, errors, _ = split(facebook.items_from_feed_page(payload, PAGE, assume_page_author=True))
    assert len(items) == len(payload["data"]) - 2
    assert [e.external_id for e in errors] == [payload["data"][1]["id"], payload["data"][2]["id"]]
    assert "created_time" in errors[0].reason and errors[0].raw is payload["data"][1]
