"""Facebook Pages through the Meta Graph API: the page feed with comments embedded
(replies flat, ``filter(stream)``), further comment pages of busy posts, and the page's
Messenger conversations when the channel opts in (``options.conversations``)."""

from __future__ import annotations

from urllib.parse import urlencode

from kanalvakt.capture.connectors.base import (
    FetchContext,
    Fetched,
    Health,
    Task,
    guard_page,
    older_than_window,
    register,
)
from kanalvakt.capture.connectors.http import redact
from kanalvakt.capture.normalize import facebook
from kanalvakt.capture.types import CapturedItem

GRAPH = "https://graph.facebook.com/v21.0"
COMMENT_FIELDS = "id,message,created_time,from,parent{id},permalink_url,attachment"
FEED_FIELDS = (
    "id,message,created_time,updated_time,from,permalink_url,"
    "attachments{media,media_type,target,url,subattachments},"
    f"comments.limit(100).filter(stream){{{COMMENT_FIELDS}}}"
)
MESSAGE_FIELDS = "messages.limit(50){id,message,created_time,from,to,attachments}"


def graph_get(ctx: FetchContext, task: Task, path: str, params: dict):
    """First page from ``path`` with ``params``; later pages from Graph's own next link,
    stored without the token (redacted) and signed again here."""
    token = {"access_token": ctx.token} if ctx.token else {}
    if task.get("page"):
        # httpx would replace the link's query with ``params``: append the token instead.
        link = task["page"]
        signed = f"{link}{'&' if '?' in link else '?'}{urlencode(token)}" if token else link
        return ctx.http.get_json(signed)
    return ctx.http.get_json(f"{GRAPH}/{path}", params={**params, **token})


def next_link(payload: dict, stop: bool) -> str | None:
    link = facebook.next_page_url(payload)
    return None if stop or not link else redact(link)


@register
class FacebookPageConnector:
    key = "facebook"
    platform = "facebook"
    label = "Facebook (Meta Graph API)"
    needs_token = True
    detects_deletions = True

    def initial_tasks(self, ctx: FetchContext) -> list[Task]:
        tasks: list[Task] = [{"s": "feed"}]
        if ctx.options.get("conversations"):
            tasks.append({"s": "conversations"})
        return tasks

    def fetch(self, ctx: FetchContext, task: Task) -> Fetched:
        page_id = ctx.identity.account_id
        if task["s"] == "feed":
            params = {"fields": FEED_FIELDS, "limit": 25, "since": int(ctx.since.timestamp())}
            payload, _ = graph_get(ctx, task, f"{page_id}/feed", params)
            results = guard_page(
                "facebook", lambda: list(facebook.items_from_feed_page(payload, ctx.identity))
            )
            posts = [r for r in results if isinstance(r, CapturedItem) and r.kind == "post"]
            stop = older_than_window((p.created_at for p in posts), ctx.since)
            return Fetched(results, next_link(payload, stop), _more_comments(payload))
        if task["s"] == "comments":
            params = {"fields": COMMENT_FIELDS, "filter": "stream", "limit": 100}
            payload, _ = graph_get(ctx, task, f"{task['object']}/comments", params)
            results = guard_page(
                "facebook",
                lambda: list(
                    facebook.items_from_comments_page(
                        payload, ctx.identity, post_external_id=task["object"]
                    )
                ),
            )
            return Fetched(results, next_link(payload, False))
        if task["s"] == "conversations":
            params = {"fields": MESSAGE_FIELDS, "platform": "messenger", "limit": 25}
            payload, _ = graph_get(ctx, task, f"{page_id}/conversations", params)
            results = guard_page(
                "facebook", lambda: list(facebook.items_from_messages_page(payload, ctx.identity))
            )
            return Fetched(results, next_link(payload, False))
        raise ValueError(f"unknown task {task!r}")

    def health(self, ctx: FetchContext) -> Health:
        payload, _ = graph_get(ctx, {}, ctx.identity.account_id, {"fields": "id,name"})
        if str(payload.get("id")) != ctx.identity.account_id:
            return Health(False, f"the token answers for page {payload.get('id')}")
        return Health(True, f"page {payload.get('name')} ({payload['id']})")


def _more_comments(payload: dict) -> list[Task]:
    """Posts whose embedded comments have another page: fetch the rest separately."""
    tasks = []
    for post in payload.get("data") or []:
        if not isinstance(post, dict):
            continue
        paging = ((post.get("comments") or {}).get("paging")) or {}
        if paging.get("next") and post.get("id"):
            tasks.append(
                {"s": "comments", "object": str(post["id"]), "page": redact(paging["next"])}
            )
    return tasks
