"""Bluesky (AT Protocol) through the public AppView: the channel's author feed and the
thread under each of its posts that has replies; with a session token also its mention
and reply notifications (the PDS's listNotifications)."""

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
from kanalvakt.capture.normalize import bluesky
from kanalvakt.capture.normalize._common import parse_time

APPVIEW = "https://public.api.bsky.app/xrpc"
PDS = "https://bsky.social/xrpc"
NOTIFICATION_REASONS = frozenset({"mention", "reply", "quote"})


@register
class BlueskyConnector:
    key = "bluesky"
    platform = "bluesky"
    label = "Bluesky (AT Protocol)"
    needs_token = False  # public reads; a session token adds notifications
    detects_deletions = True

    def initial_tasks(self, ctx: FetchContext) -> list[Task]:
        return [{"s": "feed"}] + ([{"s": "notifications"}] if ctx.token else [])

    def fetch(self, ctx: FetchContext, task: Task) -> Fetched:
        paging = {"cursor": task["page"]} if task.get("page") else {}
        if task["s"] == "feed":
            params = {"actor": ctx.identity.account_id, "limit": 100, **paging}
            payload, _ = ctx.http.get_json(f"{APPVIEW}/app.bsky.feed.getAuthorFeed", params=params)
            results = guard_page(
                "bluesky", lambda: list(bluesky.items_from_author_feed(payload, ctx.identity))
            )
            posts = [e.get("post") or {} for e in payload.get("feed") or [] if isinstance(e, dict)]
            times = [
                parse_time(p["record"]["createdAt"])
                for p in posts
                if isinstance(p.get("record"), dict) and p["record"].get("createdAt")
            ]
            stop = older_than_window(times, ctx.since)
            follow = [
                {"s": "thread", "uri": p["uri"]}
                for p in posts
                if p.get("replyCount")
                and (p.get("author") or {}).get("did") == ctx.identity.account_id
            ]
            return Fetched(results, None if stop else bluesky.next_cursor(payload), follow)
        if task["s"] == "thread":
            params = {"uri": task["uri"], "depth": 50, "parentHeight": 0}
            payload, _ = ctx.http.get_json(f"{APPVIEW}/app.bsky.feed.getPostThread", params=params)
            return Fetched(
                guard_page(
                    "bluesky", lambda: list(bluesky.items_from_post_thread(payload, ctx.identity))
                )
            )
        if task["s"] == "notifications":
            payload, _ = ctx.http.get_json(
                f"{PDS}/app.bsky.notification.listNotifications",
                params={"limit": 100, **paging},
                headers=bearer(ctx.token),
            )
            notes = [
                n
                for n in payload.get("notifications") or []
                if isinstance(n, dict) and n.get("reason") in NOTIFICATION_REASONS
            ]
            feed = {"feed": [{"post": _as_post_view(n)} for n in notes]}
            results = guard_page(
                "bluesky", lambda: list(bluesky.items_from_author_feed(feed, ctx.identity))
            )
            times = [parse_time(n["indexedAt"]) for n in notes if n.get("indexedAt")]
            stop = older_than_window(times, ctx.since)
            return Fetched(results, None if stop else bluesky.next_cursor(payload))
        raise ValueError(f"unknown task {task!r}")

    def health(self, ctx: FetchContext) -> Health:
        payload, _ = ctx.http.get_json(
            f"{APPVIEW}/app.bsky.actor.getProfile", params={"actor": ctx.identity.account_id}
        )
        if payload.get("did") != ctx.identity.account_id:
            return Health(False, f"the profile is {payload.get('did')}")
        return Health(True, f"@{payload.get('handle')} ({payload['did']})")


def _as_post_view(notification: dict) -> dict:
    return {
        "uri": notification.get("uri"),
        "cid": notification.get("cid"),
        "author": notification.get("author") or {},
        "record": notification.get("record") or {},
        "indexedAt": notification.get("indexedAt"),
    }
