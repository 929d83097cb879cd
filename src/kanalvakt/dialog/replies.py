"""Posting a reply to a captured item through the platform's API (R3.5).

One function per platform; each returns the platform's id of the new reply. Without a
connection token there is no API call: the caller turns the reply into a manual task.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from django.utils import timezone

from kanalvakt.moderation.platform_actions import (
    BSKY_PDS,
    GRAPH,
    TIMEOUT,
    X_API,
    YOUTUBE,
    NoToken,
    _check,
    _token,
)


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _facebook(client, token, channel, item, text):
    response = client.post(
        f"{GRAPH}/{item.external_id}/comments", data={"message": text}, headers=_bearer(token)
    )
    _check(response)
    return response.json()["id"]


def _instagram(client, token, channel, item, text):
    response = client.post(
        f"{GRAPH}/{item.external_id}/replies", data={"message": text}, headers=_bearer(token)
    )
    _check(response)
    return response.json()["id"]


def _youtube(client, token, channel, item, text):
    # Replies hang under the top-level comment; a reply to a reply goes to its thread.
    parent = item.external_id if item.kind == "comment" else item.parent_external_id
    response = client.post(
        f"{YOUTUBE}/comments",
        params={"part": "snippet"},
        json={"snippet": {"parentId": parent, "textOriginal": text}},
        headers=_bearer(token),
    )
    _check(response)
    return response.json()["id"]


def _x(client, token, channel, item, text):
    response = client.post(
        f"{X_API}/tweets",
        json={"text": text, "reply": {"in_reply_to_tweet_id": item.external_id}},
        headers=_bearer(token),
    )
    _check(response)
    return response.json()["data"]["id"]


def _mastodon(client, token, channel, item, text):
    # The status id is local to the channel's own instance, which its address names.
    base = "https://" + urlsplit(channel.url).netloc
    response = client.post(
        f"{base}/api/v1/statuses",
        data={"status": text, "in_reply_to_id": item.external_id},
        headers=_bearer(token),
    )
    _check(response)
    return response.json()["id"]


def _strong_ref(client, token, uri):
    repo, collection, rkey = uri.removeprefix("at://").split("/", 2)
    response = client.get(
        f"{BSKY_PDS}/com.atproto.repo.getRecord",
        params={"repo": repo, "collection": collection, "rkey": rkey},
        headers=_bearer(token),
    )
    _check(response)
    return {"uri": uri, "cid": response.json()["cid"]}


def _bluesky(client, token, channel, item, text):
    parent = _strong_ref(client, token, item.external_id)
    root_uri = item.root_external_id or item.external_id
    root = parent if root_uri == item.external_id else _strong_ref(client, token, root_uri)
    response = client.post(
        f"{BSKY_PDS}/com.atproto.repo.createRecord",
        json={
            "repo": channel.connection.account_id,
            "collection": "app.bsky.feed.post",
            "record": {
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": timezone.now().strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "reply": {"root": root, "parent": parent},
            },
        },
        headers=_bearer(token),
    )
    _check(response)
    return response.json()["uri"]


PLATFORM_REPLIES = {
    "facebook": _facebook,
    "instagram": _instagram,
    "youtube": _youtube,
    "x": _x,
    "mastodon": _mastodon,
    "bluesky": _bluesky,
}


def reply(channel, item, text: str, *, client: httpx.Client | None = None) -> str:
    """Post `text` as a reply to `item`; returns the new id. Raises NoToken when the
    platform has no reply API here or the channel no token (→ manual task)."""
    post = PLATFORM_REPLIES.get(item.platform)
    if post is None:
        raise NoToken(f"no reply API for {item.platform}")
    token = _token(channel)
    own_client = client is None
    client = client or httpx.Client(timeout=TIMEOUT)
    try:
        return post(client, token, channel, item, text)
    finally:
        if own_client:
            client.close()


def signed(text: str, settings, person_first_name: str = "") -> str:
    """Append the channel's signature (R3.5), e.g. "/Anna, bibliotekarie"; `{first_name}` in
    the template is the writer's first name."""
    if settings is None or not settings.signature_enabled or not settings.signature_template:
        return text
    signature = settings.signature_template.replace("{first_name}", person_first_name)
    return f"{text.rstrip()}\n{signature}"
