"""X API v2: tweet lookups, user timelines, mentions, conversation search
(``conversation_id:…``) and DM events, with ``includes`` expansions.

What belongs to the channel (R7.5): its own tweets (not retweets of others),
and others' tweets said to it — a reply to it, a tweet in a conversation it
started, or a tweet mentioning it. Home-timeline tweets of other accounts are
skipped.

An edited tweet gets a new id; the first of ``edit_history_tweet_ids`` is the
stable id, so an edit becomes a new version of the same item.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from kanalvakt.capture.normalize._common import (
    guarded,
    objects_of,
    parse_time,
    require_str,
    text_field,
    thread_kind,
)
from kanalvakt.capture.types import (
    CapturedItem,
    CaptureResult,
    ChannelIdentity,
    MediaRef,
    Skipped,
)

PLATFORM = "x"


def items_from_tweets_page(
    payload: dict[str, Any],
    identity: ChannelIdentity,
    *,
    own_conversation_ids: Collection[str] = (),
    own_timeline: bool = False,
) -> Iterator[CaptureResult]:
    """``own_timeline``: the page is ``/users/{channel}/tweets``, so tweets
    without ``author_id`` are the channel's. Elsewhere ``author_id`` is
    required (request ``tweet.fields=author_id``)."""
    includes = payload.get("includes") or {}
    users = {u["id"]: u for u in includes.get("users", []) if "id" in u}
    media = {m["media_key"]: m for m in includes.get("media", []) if "media_key" in m}
    tweets = list(objects_of(payload))
    # Conversations started by the channel: known ones, plus roots seen here.
    own_roots = set(own_conversation_ids)
    page_tweets = [(t, own_timeline) for t in tweets]
    for tweet, on_own_timeline in [*page_tweets, *((t, False) for t in includes.get("tweets", []))]:
        starts_conversation = isinstance(tweet, dict) and tweet.get("conversation_id") in (
            None,
            tweet.get("id"),
        )
        if starts_conversation and _author(tweet, identity, on_own_timeline) == identity.account_id:
            own_roots.add(str(tweet.get("id")))

    def one(raw: dict[str, Any]) -> Iterator[CaptureResult]:
        yield from _tweet(raw, identity, users, media, own_roots, own_timeline)

    return guarded(PLATFORM, tweets, one)


def items_from_dm_events(
    payload: dict[str, Any], identity: ChannelIdentity
) -> Iterator[CaptureResult]:
    """``/dm_events`` and the per-conversation variants (the channel's own DMs)."""
    includes = payload.get("includes") or {}
    users = {u["id"]: u for u in includes.get("users", []) if "id" in u}
    media = {m["media_key"]: m for m in includes.get("media", []) if "media_key" in m}

    def one(raw: dict[str, Any]) -> Iterator[CaptureResult]:
        event_id = require_str(raw, "id")
        if raw.get("event_type", "MessageCreate") != "MessageCreate":
            yield Skipped(f"DM event {raw.get('event_type')} carries no message", event_id)
            return
        sender = require_str(raw, "sender_id")
        participants = raw.get("participant_ids")
        if (
            participants
            and identity.account_id not in participants
            and sender != identity.account_id
        ):
            yield Skipped("DM conversation without this channel (R7.5)", event_id)
            return
        user = users.get(sender, {})
        yield CapturedItem(
            platform=PLATFORM,
            external_id=event_id,
            kind="direct_message",
            parent_external_id=None,
            root_external_id=raw.get("dm_conversation_id"),
            author_external_id=sender,
            author_display_name=user.get("name"),
            author_handle=user.get("username"),
            author_is_owner=identity.is_self(sender),
            text=text_field(raw, "text"),
            created_at=parse_time(raw["created_at"]),
            media=tuple(_media(raw, media)),
            raw=raw,
        )

    return guarded(PLATFORM, objects_of(payload), one)


def next_cursor(payload: dict[str, Any]) -> str | None:
    return (payload.get("meta") or {}).get("next_token")


def _author(tweet: dict[str, Any], identity: ChannelIdentity, own_timeline: bool) -> str | None:
    author = tweet.get("author_id")
    if author is None and own_timeline:
        return identity.account_id
    return None if author is None else str(author)


def _tweet(
    raw: dict[str, Any],
    identity: ChannelIdentity,
    users: dict[str, dict[str, Any]],
    media: dict[str, dict[str, Any]],
    own_roots: set[str],
    own_timeline: bool,
) -> Iterator[CaptureResult]:
    tweet_id = require_str(raw, "id")
    author = _author(raw, identity, own_timeline)
    if author is None:
        raise ValueError("tweet without author_id; request tweet.fields=author_id")
    refs = {r.get("type"): str(r.get("id")) for r in raw.get("referenced_tweets") or []}
    if "retweeted" in refs:
        yield Skipped("retweet of another account's post (R7.5)", tweet_id)
        return
    is_owner = identity.is_self(author)
    parent = refs.get("replied_to")
    root = str(raw.get("conversation_id") or (tweet_id if parent is None else "")) or None
    mentions = {
        str(m.get("username", "")).casefold()
        for m in (raw.get("entities") or {}).get("mentions") or []
    }
    said_to_channel = (
        str(raw.get("in_reply_to_user_id") or "") == identity.account_id
        or (root is not None and root in own_roots)
        or (identity.handle is not None and identity.handle.casefold() in mentions)
    )
    if not is_owner and not said_to_channel:
        yield Skipped(
            "tweet of another account outside this channel's conversations (R7.5)", tweet_id
        )
        return
    history = raw.get("edit_history_tweet_ids") or [tweet_id]
    stable_id = str(history[0])
    user = users.get(author, {})
    handle = user.get("username") or (identity.handle if is_owner else None)
    if not raw.get("created_at"):
        raise ValueError("tweet without created_at; request tweet.fields=created_at")
    created = parse_time(raw["created_at"])
    kind = thread_kind(parent, root)
    yield CapturedItem(
        platform=PLATFORM,
        external_id=stable_id,
        kind=kind,
        parent_external_id=parent,
        root_external_id=root if parent is not None else stable_id,
        author_external_id=author,
        author_display_name=user.get("name"),
        author_handle=handle,
        author_is_owner=is_owner,
        text=text_field(raw, "text"),
        language=raw.get("lang"),
        created_at=created,
        # Each edit is a new tweet whose created_at is the edit time.
        edited_at=created if stable_id != tweet_id else None,
        url=f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
        media=tuple(_media(raw, media)),
        raw=raw,
    )


def _media(raw: dict[str, Any], media: dict[str, dict[str, Any]]) -> Iterator[MediaRef]:
    for key in (raw.get("attachments") or {}).get("media_keys") or []:
        item = media.get(key, {})
        url = item.get("url") or item.get("preview_image_url")
        if url:
            yield MediaRef(url, None, key)
