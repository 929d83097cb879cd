"""The reply call of each platform, against respx-mocked APIs (R3.5)."""

import json
from types import SimpleNamespace

import httpx
import pytest
import respx

from kanalvakt.dialog.replies import BSKY_PDS, GRAPH, YOUTUBE, reply
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R3.5")]


def _item(platform, external_id, kind="comment", parent="", root=""):
    return SimpleNamespace(
        platform=platform,
        external_id=external_id,
        kind=kind,
        parent_external_id=parent,
        root_external_id=root,
    )


@respx.mock
def test_instagram_replies_under_the_comment(with_token):
    channel = with_token(make_channel(platform="instagram"))
    route = respx.post(f"{GRAPH}/178/replies").mock(
        return_value=httpx.Response(200, json={"id": "179"})
    )
    assert reply(channel, _item("instagram", "178"), "Tack!") == "179"
    assert route.calls.last.request.headers["Authorization"] == "Bearer test-token"


@respx.mock
def test_youtube_inserts_a_comment_with_parent_id(with_token):
    channel = with_token(make_channel(platform="youtube"))
    route = respx.post(f"{YOUTUBE}/comments").mock(
        return_value=httpx.Response(200, json={"id": "Ugy.reply"})
    )
    assert reply(channel, _item("youtube", "Ugy"), "Hej!") == "Ugy.reply"
    body = json.loads(route.calls.last.request.content)
    assert body["snippet"] == {"parentId": "Ugy", "textOriginal": "Hej!"}


@respx.mock
def test_mastodon_posts_a_status_in_reply_to(with_token):
    channel = with_token(make_channel(platform="mastodon", handle="@osby@mastodon.example"))
    host = httpx.URL(channel.url).host
    route = respx.post(f"https://{host}/api/v1/statuses").mock(
        return_value=httpx.Response(200, json={"id": "1101"})
    )
    assert reply(channel, _item("mastodon", "1100"), "Hej!") == "1101"
    assert "in_reply_to_id=1100" in route.calls.last.request.content.decode()


@respx.mock
def test_bluesky_creates_a_post_with_root_and_parent_refs(with_token):
    channel = with_token(make_channel(platform="bluesky"), account_id="did:plc:osby")
    parent_uri = "at://did:plc:anna/app.bsky.feed.post/3k2"
    root_uri = "at://did:plc:osby/app.bsky.feed.post/3k1"

    def record(request):
        rkey = request.url.params["rkey"]
        return httpx.Response(200, json={"cid": f"cid-{rkey}", "value": {}})

    respx.get(f"{BSKY_PDS}/com.atproto.repo.getRecord").mock(side_effect=record)
    create = respx.post(f"{BSKY_PDS}/com.atproto.repo.createRecord").mock(
        return_value=httpx.Response(200, json={"uri": "at://did:plc:osby/app.bsky.feed.post/3k3"})
    )
    new = reply(channel, _item("bluesky", parent_uri, root=root_uri), "Hej!")
    assert new.endswith("/3k3")
    body = json.loads(create.calls.last.request.content)
    assert body["repo"] == "did:plc:osby"
    assert body["record"]["reply"] == {
        "root": {"uri": root_uri, "cid": "cid-3k1"},
        "parent": {"uri": parent_uri, "cid": "cid-3k2"},
    }
