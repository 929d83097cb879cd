"""Instagram normaliser on recorded Graph API responses (python-facebook testdata)."""

import copy

import pytest

from capture.helpers import assert_aware_utc, load_json, split
from kanalvakt.capture.normalize import instagram
from kanalvakt.capture.types import ChannelIdentity

ACCOUNT = ChannelIdentity("instagram", "17841406338772941", "ikroskun")


def test_own_media_with_carousel_children_and_cursor():
    payload = load_json("instagram", "medias_p1.json")
    items, errors, skipped = split(instagram.items_from_media_page(payload, ACCOUNT))
    assert len(items) == len(payload["data"]) and not errors and not skipped
    assert instagram.next_cursor(payload) == "after"
    (album,) = instagram.items_from_media_page(
        load_json("instagram", "media_default.json"), ACCOUNT
    )
    assert album.text == "ALBUM" and album.url == "https://www.instagram.com/p/CRyZpmrjYC4/"
    assert [m.external_id for m in album.media] == [
        c["id"] for c in load_json("instagram", "media_default.json")["children"]["data"]
    ]
    assert_aware_utc(album)


@pytest.mark.req("R7.2")
def test_comment_by_the_account_is_drawn_up_and_reply_by_unknown_is_received():
    payload = load_json("instagram", "ig_comment.json")
    comment, reply = instagram.items_from_comments_page(payload, ACCOUNT, media_id="ignored")
    assert comment.kind == "comment" and comment.author_is_owner
    assert comment.root_external_id == comment.parent_external_id == "17846368219941692"
    assert reply.kind == "reply" and reply.parent_external_id == comment.external_id
    assert reply.author_external_id is None and not reply.author_is_owner


def test_comment_pages_and_replies_page_count():
    total = 0
    for name in ("comments_p1.json", "comments_p2.json"):
        payload = load_json("instagram", name)
        items, errors, _ = split(
            instagram.items_from_comments_page(payload, ACCOUNT, media_id="17846368219941692")
        )
        assert not errors
        total += len(items)
        assert len(items) == len(payload["data"])
    assert total == 4
    replies = load_json("instagram", "replies.json")
    (reply,) = instagram.items_from_replies_page(
        replies, ACCOUNT, media_id="17846368219941692", comment_id="17858154961981086"
    )
    assert reply.kind == "reply" and reply.parent_external_id == "17858154961981086"


@pytest.mark.req("R7.5")
def test_media_of_another_account_is_dropped():
    media = load_json("instagram", "ig_media.json")
    other = ChannelIdentity("instagram", "17841407673135339", "facebookfordevelopers")
    items, _, skipped = split(instagram.items_from_media_page(media, other))
    assert not items and [s.external_id for s in skipped] == [media["id"]]
    (own,) = instagram.items_from_media_page(media, ACCOUNT)
    assert own.author_is_owner


def test_malformed_comment_becomes_error():
    payload = copy.deepcopy(load_json("instagram", "comments_p1.json"))
    payload["data"][0]["timestamp"] = "not a time"
    items, errors, _ = split(instagram.items_from_comments_page(payload, ACCOUNT, media_id="m"))
    assert len(items) == 1 and errors[0].external_id == payload["data"][0]["id"]
