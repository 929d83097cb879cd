"""YouTube normaliser on recorded Data API v3 responses (python-youtube testdata)."""

import copy

import pytest

from capture.helpers import assert_aware_utc, load_json, split
from kanalvakt.capture.normalize import youtube
from kanalvakt.capture.types import ChannelIdentity

GOOGLE_DEVS = ChannelIdentity("youtube", "UC_x5XG1OV2P6uZZ5FSM9Ttw", "googledevelopers")
ME = ChannelIdentity("youtube", "UCa-vrCLQHviTOVnEKDOdetQ")


@pytest.mark.req("R7.5")
def test_videos_of_the_channel_are_kept_and_others_dropped():
    payload = load_json("youtube", "videos_info_multi.json")
    items, errors, skipped = split(youtube.items_from_videos_page(payload, GOOGLE_DEVS))
    own = [v for v in payload["items"] if v["snippet"]["channelId"] == GOOGLE_DEVS.account_id]
    assert len(items) == len(own) and len(skipped) == len(payload["items"]) - len(own)
    assert not errors
    video = items[0]
    assert video.kind == "post" and video.author_is_owner and video.title.startswith("What are")
    assert video.url == "https://www.youtube.com/watch?v=D-lhorsDlUQ" and video.language == "en"
    assert_aware_utc(video)


@pytest.mark.req("R7.2")
def test_comment_threads_to_the_channel_are_received():
    payload = load_json("youtube", "comment_threads_all_to_me.json")
    items, errors, skipped = split(youtube.items_from_comment_threads_page(payload, ME))
    expected = sum(1 + len(t.get("replies", {}).get("comments", [])) for t in payload["items"])
    assert len(items) == expected and not errors and not skipped
    assert all(not i.author_is_owner for i in items)
    first = items[0]
    assert (
        first.kind == "comment"
        and first.root_external_id == first.parent_external_id == "JE8xdDp5B8Q"
    )
    assert first.url == "https://www.youtube.com/watch?v=JE8xdDp5B8Q&lc=UgyWeTdgc4sc1xgmbld4AaABAg"


def test_comment_html_is_kept_and_plain_text_comes_from_text_original():
    payload = load_json("youtube", "comment_threads_by_video_paged_1.json")
    items, _, _ = split(
        youtube.items_from_comment_threads_page(payload, ME, own_video_ids={"F1UP7wRCPH8"})
    )
    assert len(items) == len(payload["items"])
    first = items[0]
    assert first.text == '<a href="http://google.com/">Google.com</a>'
    assert first.text_plain == "Google.com"
    assert youtube.next_cursor(payload) == payload["nextPageToken"]


@pytest.mark.req("R7.5")
def test_threads_on_videos_not_known_as_own_are_dropped():
    payload = load_json("youtube", "comment_threads_by_video_paged_1.json")
    items, _, skipped = split(youtube.items_from_comment_threads_page(payload, ME))
    assert not items and len(skipped) == len(payload["items"])
    channel_threads = load_json("youtube", "comment_threads_by_channel.json")
    items, _, skipped = split(youtube.items_from_comment_threads_page(channel_threads, ME))
    assert not items and len(skipped) == len(channel_threads["items"])


def test_replies_by_parent():
    payload = load_json("youtube", "comments_by_parent_paged_1.json")
    items, errors, _ = split(youtube.items_from_comments_page(payload, ME, video_id="JE8xdDp5B8Q"))
    assert len(items) == len(payload["items"]) and not errors
    assert all(
        i.kind == "reply" and i.parent_external_id == "Ugw5zYU6n9pmIgAZWvN4AaABAg" for i in items
    )


def test_malformed_thread_becomes_error_and_rest_goes_on():
    payload = copy.deepcopy(load_json("youtube", "comment_threads_all_to_me.json"))
    del payload["items"][0]["snippet"]["topLevelComment"]
    items, errors, _ = split(youtube.items_from_comment_threads_page(payload, ME))
    assert len(errors) == 1 and errors[0].external_id == payload["items"][0]["id"]
    assert len(items) == len(payload["items"]) - 1
