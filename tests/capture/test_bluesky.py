"""Bluesky normaliser on recorded AppView responses and records (MarshalX/atproto testdata)."""

import copy

import pytest

from capture.helpers import assert_aware_utc, load_json, split
from kanalvakt.capture.normalize import bluesky
from kanalvakt.capture.types import ChannelIdentity

SDK_ACCOUNT = ChannelIdentity("bluesky", "did:plc:kvwvcn5iqfooopmyzvb4qzba", "test.marshal.dev")
OTHER = ChannelIdentity("bluesky", "did:plc:someoneelse", "osby.bsky.social")


def test_post_thread_with_media():
    payload = load_json("bluesky", "thread_view_post_with_embed_media.json")
    (item,) = bluesky.items_from_post_thread(payload, SDK_ACCOUNT)
    post = payload["thread"]["post"]
    assert item.external_id == post["uri"] and item.kind == "post"
    assert item.author_is_owner and item.author_handle == "test.marshal.dev"
    assert item.language == "en" and item.url.endswith("/post/3kaheyt6vpc22")
    assert item.media[0].mime_type == "image/jpeg"
    assert (
        item.media[0].external_id == "bafkreic3cp5ky525vsukjvrzxsc2h3jka2gud74l2hgeatw2rhj2qycnmq"
    )
    assert item.raw is post
    assert_aware_utc(item)


@pytest.mark.req("R7.5")
def test_foreign_posts_and_reposts_are_dropped():
    thread = load_json("bluesky", "thread_view_post_with_embed_media.json")
    items, _, skipped = split(bluesky.items_from_post_thread(thread, OTHER))
    assert not items and len(skipped) == 1
    # An author feed built around the same recorded post view: once as a post,
    # once as a repost (FeedViewPost with reason #reasonRepost).
    post = thread["thread"]["post"]
    feed = {
        "feed": [
            {"post": post},
            {"post": post, "reason": {"$type": "app.bsky.feed.defs#reasonRepost"}},
        ],
        "cursor": "c1",
    }
    items, _, skipped = split(bluesky.items_from_author_feed(feed, SDK_ACCOUNT))
    assert len(items) == 1 and "repost" in skipped[0].reason
    assert bluesky.next_cursor(feed) == "c1"


@pytest.mark.req("R7.2")
def test_reply_to_the_channel_is_received():
    record = load_json("bluesky", "post_record.json")
    value = copy.deepcopy(record["value"])
    value["reply"] = {
        "root": {"uri": f"at://{OTHER.account_id}/app.bsky.feed.post/root", "cid": "x"},
        "parent": {"uri": f"at://{OTHER.account_id}/app.bsky.feed.post/root", "cid": "x"},
    }
    assert bluesky.said_to_channel(value, OTHER)
    item = bluesky.item_from_record(
        value, OTHER, uri=record["uri"], author_did=SDK_ACCOUNT.account_id
    )
    assert item.kind == "comment" and not item.author_is_owner
    assert item.parent_external_id == item.root_external_id


def test_records_including_one_without_timezone():
    record = load_json("bluesky", "extended_post_record.json")
    item = bluesky.item_from_record(
        record["value"], SDK_ACCOUNT, uri=record["uri"], author_did=SDK_ACCOUNT.account_id
    )
    assert item.text == "regress test" and item.created_at.tzinfo is not None
