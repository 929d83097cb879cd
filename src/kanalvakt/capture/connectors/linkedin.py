"""LinkedIn Community Management API (versioned REST): the organisation's posts
(``/rest/posts?q=author``) and the comments on each post in the refetch window
(``/rest/socialActions/{post}/comments``). Timestamps are epoch milliseconds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

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
from kanalvakt.capture.normalize._common import guarded, require_str
from kanalvakt.capture.types import CapturedItem, CaptureResult, ChannelIdentity, Skipped

API = "https://api.linkedin.com/rest"
VERSION = "202501"
PAGE_SIZE = 50


def _headers(ctx: FetchContext) -> dict[str, str]:
    return {
        **bearer(ctx.token),
        "LinkedIn-Version": VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
    }


def _millis(value: Any) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not epoch milliseconds: {value!r}")
    return datetime.fromtimestamp(value / 1000, UTC)


def _next_start(payload: dict) -> int | None:
    paging = payload.get("paging") or {}
    if any(link.get("rel") == "next" for link in paging.get("links") or []):
        return int(paging.get("start", 0)) + int(paging.get("count", PAGE_SIZE))
    return None


def items_from_posts(payload: dict, identity: ChannelIdentity) -> Iterator[CaptureResult]:
    def one(raw: dict) -> Iterator[CaptureResult]:
        urn = require_str(raw, "id")
        if raw.get("author") != identity.account_id:
            yield Skipped("post of another organisation or member (R7.5)", urn)
            return
        created = _millis(raw.get("publishedAt") or raw["createdAt"])
        modified = raw.get("lastModifiedAt")
        edited = (raw.get("lifecycleStateInfo") or {}).get("isEditedByAuthor")
        yield CapturedItem(
            platform="linkedin",
            external_id=urn,
            kind="post",
            parent_external_id=None,
            root_external_id=urn,
            author_external_id=identity.account_id,
            author_display_name=None,
            author_handle=identity.handle,
            author_is_owner=True,
            text=raw.get("commentary") or "",
            created_at=created,
            edited_at=_millis(modified) if edited and modified else None,
            url=f"https://www.linkedin.com/feed/update/{urn}/",
            raw=raw,
        )

    return guarded("linkedin", payload.get("elements") or [], one)


def items_from_comments(
    payload: dict, identity: ChannelIdentity, *, post_urn: str
) -> Iterator[CaptureResult]:
    def one(raw: dict) -> Iterator[CaptureResult]:
        urn = raw.get("commentUrn") or raw.get("$URN") or require_str(raw, "id")
        actor = raw.get("actor")
        parent = raw.get("parentComment")
        created = _millis((raw.get("created") or {})["time"])
        modified = (raw.get("lastModified") or {}).get("time")
        yield CapturedItem(
            platform="linkedin",
            external_id=str(urn),
            kind="reply" if parent else "comment",
            parent_external_id=parent or post_urn,
            root_external_id=post_urn,
            author_external_id=actor,
            author_display_name=None,
            author_is_owner=identity.is_self(actor),
            text=(raw.get("message") or {}).get("text") or "",
            created_at=created,
            edited_at=_millis(modified)
            if modified and modified != created.timestamp() * 1000
            else None,
            raw=raw,
        )

    return guarded("linkedin", payload.get("elements") or [], one)


@register
class LinkedInConnector:
    key = "linkedin"
    platform = "linkedin"
    label = "LinkedIn (Community Management API)"
    needs_token = True
    detects_deletions = True

    def initial_tasks(self, ctx: FetchContext) -> list[Task]:
        return [{"s": "posts"}]

    def fetch(self, ctx: FetchContext, task: Task) -> Fetched:
        start = task.get("page") or 0
        if task["s"] == "posts":
            params = {
                "q": "author",
                "author": ctx.identity.account_id,
                "count": PAGE_SIZE,
                "start": start,
                "sortBy": "LAST_MODIFIED",
            }
            payload, _ = ctx.http.get_json(f"{API}/posts", params=params, headers=_headers(ctx))
            results = guard_page("linkedin", lambda: list(items_from_posts(payload, ctx.identity)))
            posts = [r for r in results if isinstance(r, CapturedItem)]
            stop = older_than_window((p.created_at for p in posts), ctx.since)
            follow = [
                {"s": "comments", "post": p.external_id} for p in posts if p.created_at >= ctx.since
            ]
            return Fetched(results, None if stop else _next_start(payload), follow)
        if task["s"] == "comments":
            url = f"{API}/socialActions/{quote(task['post'], safe='')}/comments"
            params = {"count": 100, "start": start}
            payload, _ = ctx.http.get_json(url, params=params, headers=_headers(ctx))
            results = guard_page(
                "linkedin",
                lambda: list(items_from_comments(payload, ctx.identity, post_urn=task["post"])),
            )
            return Fetched(results, _next_start(payload))
        raise ValueError(f"unknown task {task!r}")

    def health(self, ctx: FetchContext) -> Health:
        org = ctx.identity.account_id.rsplit(":", 1)[-1]
        payload, _ = ctx.http.get_json(f"{API}/organizations/{org}", headers=_headers(ctx))
        return Health(True, f"{payload.get('localizedName')} ({ctx.identity.account_id})")
