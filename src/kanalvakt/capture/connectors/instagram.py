"""Instagram professional accounts through the Meta Graph API: the account's media, then
the comments (with replies embedded) of each medium in the refetch window."""

from __future__ import annotations

from kanalvakt.capture.connectors.base import (
    FetchContext,
    Fetched,
    Health,
    Task,
    guard_page,
    older_than_window,
    register,
)
from kanalvakt.capture.connectors.facebook import graph_get, next_link
from kanalvakt.capture.normalize import instagram
from kanalvakt.capture.types import CapturedItem

MEDIA_FIELDS = (
    "id,caption,timestamp,permalink,media_type,media_url,thumbnail_url,username,"
    "comments_count,children{id,media_type,media_url,thumbnail_url}"
)
COMMENT_FIELDS = (
    "id,text,timestamp,from,username,parent_id,hidden,"
    "replies{id,text,timestamp,from,username,parent_id,hidden}"
)


@register
class InstagramConnector:
    key = "instagram"
    platform = "instagram"
    label = "Instagram (Meta Graph API)"
    needs_token = True
    detects_deletions = True

    def initial_tasks(self, ctx: FetchContext) -> list[Task]:
        return [{"s": "media"}]

    def fetch(self, ctx: FetchContext, task: Task) -> Fetched:
        if task["s"] == "media":
            params = {"fields": MEDIA_FIELDS, "limit": 25}
            payload, _ = graph_get(ctx, task, f"{ctx.identity.account_id}/media", params)
            results = guard_page(
                "instagram", lambda: list(instagram.items_from_media_page(payload, ctx.identity))
            )
            media = [r for r in results if isinstance(r, CapturedItem) and r.kind == "post"]
            in_window = [m for m in media if m.created_at >= ctx.since]
            counts = {str(m.get("id")): m.get("comments_count") for m in payload.get("data") or []}
            follow = [
                {"s": "comments", "media": m.external_id}
                for m in in_window
                if counts.get(m.external_id) != 0
            ]
            stop = older_than_window((m.created_at for m in media), ctx.since)
            return Fetched(results, next_link(payload, stop), follow)
        if task["s"] == "comments":
            params = {"fields": COMMENT_FIELDS, "limit": 50}
            payload, _ = graph_get(ctx, task, f"{task['media']}/comments", params)
            results = guard_page(
                "instagram",
                lambda: list(
                    instagram.items_from_comments_page(
                        payload, ctx.identity, media_id=task["media"]
                    )
                ),
            )
            return Fetched(results, next_link(payload, False))
        raise ValueError(f"unknown task {task!r}")

    def health(self, ctx: FetchContext) -> Health:
        payload, _ = graph_get(ctx, {}, ctx.identity.account_id, {"fields": "id,username"})
        if str(payload.get("id")) != ctx.identity.account_id:
            return Health(False, f"the token answers for account {payload.get('id')}")
        return Health(True, f"@{payload.get('username')} ({payload['id']})")
