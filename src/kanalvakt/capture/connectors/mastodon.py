"""Mastodon REST API on the channel's instance (``options.base_url``): own statuses, the
threads under them (context), mentions and direct messages (notifications of type
mention), and the edit history of edited statuses (each revision a version)."""

from __future__ import annotations

from kanalvakt.capture.connectors.base import (
    FetchContext,
    Fetched,
    Health,
    Task,
    bearer,
    guard_page,
    older_than_window,
    register,
)
from kanalvakt.capture.normalize import mastodon
from kanalvakt.capture.normalize._common import parse_time


def _base(ctx: FetchContext) -> str:
    base = (ctx.options.get("base_url") or "").rstrip("/")
    if not base.startswith("https://") and not base.startswith("http://"):
        raise ValueError("the Mastodon connection needs options.base_url (https://instance)")
    return base


def _get(ctx: FetchContext, path: str, params: dict | None = None):
    return ctx.http.get_json(f"{_base(ctx)}{path}", params=params, headers=bearer(ctx.token))


def _times(payload) -> list:
    return [
        parse_time(s["created_at"]) for s in payload if isinstance(s, dict) and "created_at" in s
    ]


@register
class MastodonConnector:
    key = "mastodon"
    platform = "mastodon"
    label = "Mastodon"
    needs_token = True
    detects_deletions = True

    def initial_tasks(self, ctx: FetchContext) -> list[Task]:
        return [{"s": "statuses"}, {"s": "mentions"}]

    def fetch(self, ctx: FetchContext, task: Task) -> Fetched:
        account = ctx.identity.account_id
        paging = {"max_id": task["page"]} if task.get("page") else {}
        if task["s"] == "statuses":
            path = f"/api/v1/accounts/{account}/statuses"
            payload, response = _get(ctx, path, {"limit": 40, **paging})
            results = guard_page(
                "mastodon", lambda: list(mastodon.items_from_statuses(payload, ctx.identity))
            )
            stop = older_than_window(_times(payload), ctx.since)
            next_page = None if stop else mastodon.next_max_id(response.headers.get("link"))
            return Fetched(results, next_page, _follow_ups(payload, ctx))
        if task["s"] == "mentions":
            params = {"types[]": "mention", "limit": 40, **paging}
            payload, response = _get(ctx, "/api/v1/notifications", params)
            results = guard_page(
                "mastodon", lambda: list(mastodon.items_from_notifications(payload, ctx.identity))
            )
            stop = older_than_window(_times(payload), ctx.since)
            next_page = None if stop else mastodon.next_max_id(response.headers.get("link"))
            return Fetched(results, next_page)
        if task["s"] == "context":
            payload, _ = _get(ctx, f"/api/v1/statuses/{task['id']}/context")
            results = guard_page(
                "mastodon",
                lambda: list(
                    mastodon.items_from_context(payload, ctx.identity, status_id=task["id"])
                ),
            )
            return Fetched(results)
        if task["s"] == "history":
            status, _ = _get(ctx, f"/api/v1/statuses/{task['id']}")
            history, _ = _get(ctx, f"/api/v1/statuses/{task['id']}/history")
            results = guard_page(
                "mastodon",
                lambda: list(mastodon.versions_from_history(history, ctx.identity, status=status)),
            )
            return Fetched(results)
        raise ValueError(f"unknown task {task!r}")

    def health(self, ctx: FetchContext) -> Health:
        payload, _ = _get(ctx, f"/api/v1/accounts/{ctx.identity.account_id}")
        return Health(True, f"@{payload.get('acct')} ({payload.get('id')})")


def _follow_ups(payload, ctx: FetchContext) -> list[Task]:
    tasks = []
    for status in payload if isinstance(payload, list) else []:
        if not isinstance(status, dict) or status.get("reblog") or "created_at" not in status:
            continue
        if parse_time(status["created_at"]) < ctx.since:
            continue
        if status.get("replies_count"):
            tasks.append({"s": "context", "id": str(status["id"])})
        if status.get("edited_at"):
            tasks.append({"s": "history", "id": str(status["id"])})
    return tasks
