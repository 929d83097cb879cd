"""X API v2: the channel's own posts, the replies in its conversations (recent search by
conversation_id), its mentions, and its direct messages when the channel opts in."""

from __future__ import annotations

import dataclasses

from kanalvakt.capture.connectors.base import (
    FetchContext,
    Fetched,
    Health,
    Task,
    bearer,
    guard_page,
    register,
)
from kanalvakt.capture.normalize import x
from kanalvakt.capture.types import CapturedItem

API = "https://api.x.com/2"
TWEET_PARAMS = {
    "max_results": 100,
    "tweet.fields": "author_id,created_at,conversation_id,in_reply_to_user_id,referenced_tweets,"
    "entities,edit_history_tweet_ids,lang,attachments,public_metrics",
    "expansions": "author_id,attachments.media_keys",
    "user.fields": "username,name",
    "media.fields": "url,preview_image_url,type",
}
CONVERSATIONS_PER_QUERY = 10  # keeps the search query under X's 512-character limit


def _get(ctx: FetchContext, path: str, params: dict, task: Task, page_param="pagination_token"):
    if task.get("page"):
        params = {**params, page_param: task["page"]}
    return ctx.http.get_json(f"{API}/{path}", params=params, headers=bearer(ctx.token))[0]


@register
class XConnector:
    key = "x"
    platform = "x"
    label = "X (API v2)"
    needs_token = True
    detects_deletions = True
    deletion_window_days = 7  # recent search sees conversations of the last 7 days only

    def initial_tasks(self, ctx: FetchContext) -> list[Task]:
        tasks: list[Task] = [{"s": "tweets"}, {"s": "mentions"}]
        if ctx.options.get("direct_messages"):
            tasks.append({"s": "dm"})
        return tasks

    def fetch(self, ctx: FetchContext, task: Task) -> Fetched:
        user_id = ctx.identity.account_id
        window = {"start_time": ctx.since.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if task["s"] == "tweets":
            payload = _get(ctx, f"users/{user_id}/tweets", {**TWEET_PARAMS, **window}, task)
            results = guard_page(
                "x",
                lambda: list(x.items_from_tweets_page(payload, ctx.identity, own_timeline=True)),
            )
            return Fetched(results, x.next_cursor(payload), _conversation_tasks(payload))
        if task["s"] == "mentions":
            payload = _get(ctx, f"users/{user_id}/mentions", {**TWEET_PARAMS, **window}, task)
            results = guard_page("x", lambda: _mentions(payload, ctx))
            return Fetched(results, x.next_cursor(payload))
        if task["s"] == "conversations":
            query = " OR ".join(f"conversation_id:{cid}" for cid in task["ids"])
            params = {**TWEET_PARAMS, "query": query}
            payload = _get(ctx, "tweets/search/recent", params, task, page_param="next_token")
            results = guard_page(
                "x",
                lambda: list(
                    x.items_from_tweets_page(
                        payload, ctx.identity, own_conversation_ids=task["ids"]
                    )
                ),
            )
            return Fetched(results, x.next_cursor(payload))
        if task["s"] == "dm":
            params = {
                "dm_event.fields": "id,text,event_type,created_at,sender_id,dm_conversation_id,"
                "participant_ids,attachments",
                "expansions": "sender_id,attachments.media_keys",
                "user.fields": "username,name",
                "max_results": 100,
            }
            payload = _get(ctx, "dm_events", params, task)
            results = guard_page("x", lambda: list(x.items_from_dm_events(payload, ctx.identity)))
            return Fetched(results, x.next_cursor(payload))
        raise ValueError(f"unknown task {task!r}")

    def health(self, ctx: FetchContext) -> Health:
        payload = _get(ctx, f"users/{ctx.identity.account_id}", {}, {})
        user = payload.get("data") or {}
        if str(user.get("id")) != ctx.identity.account_id:
            return Health(False, "the user id is unknown to X")
        return Health(True, f"@{user.get('username')} ({user['id']})")


def _mentions(payload: dict, ctx: FetchContext) -> list:
    """Everything /mentions returns mentions the channel, whether or not ``entities`` was
    returned: say so to the normaliser, and archive each tweet as received."""
    originals, marked = {}, []
    for tweet in payload.get("data") or []:
        if isinstance(tweet, dict) and ctx.identity.handle:
            copy = {**tweet, "entities": {**(tweet.get("entities") or {})}}
            copy["entities"]["mentions"] = [
                *(copy["entities"].get("mentions") or []),
                {"username": ctx.identity.handle},
            ]
            originals[str(tweet.get("id"))] = tweet
            tweet = copy
        marked.append(tweet)
    results = list(x.items_from_tweets_page({**payload, "data": marked}, ctx.identity))
    return [
        dataclasses.replace(r, raw=originals.get(str(r.raw.get("id")), r.raw))
        if isinstance(r, CapturedItem)
        else r
        for r in results
    ]


def _conversation_tasks(payload: dict) -> list[Task]:
    """Own posts that have replies: search their conversations, a few per query."""
    ids = []
    for tweet in payload.get("data") or []:
        if not isinstance(tweet, dict):
            continue
        replies = (tweet.get("public_metrics") or {}).get("reply_count")
        replying = any(r.get("type") == "replied_to" for r in tweet.get("referenced_tweets") or [])
        # A post that replies to nothing starts its own conversation.
        conversation = tweet.get("conversation_id") or (None if replying else tweet.get("id"))
        if replies != 0 and conversation:
            ids.append(str(conversation))
    ids = list(dict.fromkeys(ids))
    return [
        {"s": "conversations", "ids": ids[i : i + CONVERSATIONS_PER_QUERY]}
        for i in range(0, len(ids), CONVERSATIONS_PER_QUERY)
    ]
