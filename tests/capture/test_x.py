"""X normaliser on recorded API v2 responses (python-twitter testdata)."""

import copy

import pytest

from capture.helpers import assert_aware_utc, load_json, split
from kanalvakt.capture.normalize import x
from kanalvakt.capture.types import ChannelIdentity

TWITTER_DEV = ChannelIdentity("x", "2244994945", "TwitterDev")
SNOWMAN = ChannelIdentity("x", "17200003", "snowman")


def test_own_timeline_with_cursor():
    payload = load_json("x", "timeline_tweets.json")
    items, errors, skipped = split(
        x.items_from_tweets_page(payload, TWITTER_DEV, own_timeline=True)
    )
    assert len(items) == payload["meta"]["result_count"] and not errors and not skipped
    assert all(i.kind == "post" and i.author_is_owner for i in items)
    assert items[0].url == "https://x.com/TwitterDev/status/1364275610764201984"
    assert x.next_cursor(payload) == payload["meta"]["next_token"]
    assert_aware_utc(items[0])


@pytest.mark.req("R7.2")
def test_replies_to_the_channel_are_received_its_own_drawn_up():
    payload = load_json("x", "search_tweets_query.json")
    items, errors, skipped = split(x.items_from_tweets_page(payload, SNOWMAN))
    assert len(items) == len(payload["data"]) and not errors and not skipped
    owner = {i.external_id: i.author_is_owner for i in items}
    assert owner == {t["id"]: t["author_id"] == SNOWMAN.account_id for t in payload["data"]}
    reply = next(i for i in items if i.external_id == "1276035977375477760")
    assert reply.kind == "reply" and reply.parent_external_id == "1275653067283759104"
    assert reply.author_handle == "happycamper" and reply.language == "en"


@pytest.mark.req("R7.5")
def test_home_timeline_and_unrelated_search_results_are_dropped():
    home = load_json("x", "timeline_reverse_chronological.json")
    stranger = ChannelIdentity("x", "1", "osbykommun")
    items, _, skipped = split(x.items_from_tweets_page(home, stranger))
    assert not items and len(skipped) == len(home["data"])
    search = load_json("x", "search_tweets_query.json")
    items, _, skipped = split(x.items_from_tweets_page(search, TWITTER_DEV))
    assert not items and len(skipped) == len(search["data"])


def test_mention_and_own_conversation_keep_other_authors():
    payload = load_json("x", "tweets_resp.json")
    items, _, skipped = split(x.items_from_tweets_page(payload, TWITTER_DEV))
    assert [i.author_external_id for i in items] == ["2244994945"] and len(skipped) == 1
    mention = copy.deepcopy(payload)
    mention["data"][1]["entities"] = {"mentions": [{"username": "TwitterDev"}]}
    items, _, _ = split(x.items_from_tweets_page(mention, TWITTER_DEV))
    assert [i.author_is_owner for i in items] == [True, False]
    in_thread = copy.deepcopy(payload)
    in_thread["data"][1]["conversation_id"] = "42"
    items, _, _ = split(
        x.items_from_tweets_page(in_thread, TWITTER_DEV, own_conversation_ids={"42"})
    )
    assert len(items) == 2


def test_tweet_without_author_is_an_error_not_a_guess():
    payload = load_json("x", "timeline_mentions.json")
    items, errors, _ = split(x.items_from_tweets_page(payload, TWITTER_DEV))
    assert not items and len(errors) == len(payload["data"])
    assert "author_id" in errors[0].reason


def test_media_from_includes_and_retweets_skipped():
    payload = copy.deepcopy(load_json("x", "tweet_resp.json"))
    payload["data"]["author_id"] = TWITTER_DEV.account_id
    payload["data"]["created_at"] = "2018-11-26T16:37:10.000Z"
    payload["includes"]["media"][0]["preview_image_url"] = "https://pbs.twimg.com/p.jpg"
    (item,) = x.items_from_tweets_page(payload, TWITTER_DEV)
    assert item.media[0].external_id == "13_1064638969197977600"
    payload["data"]["referenced_tweets"] = [{"type": "retweeted", "id": "1"}]
    (skipped,) = x.items_from_tweets_page(payload, TWITTER_DEV)
    assert "retweet" in skipped.reason


def test_dm_events():
    payload = load_json("x", "events.json")
    (item,) = x.items_from_dm_events(payload, ChannelIdentity("x", "906948460078698496"))
    assert item.kind == "direct_message" and item.author_is_owner
    assert item.root_external_id == "1585094756761149440"
    (received,) = x.items_from_dm_events(payload, TWITTER_DEV)
    assert not received.author_is_owner
