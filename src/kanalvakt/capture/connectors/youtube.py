"""YouTube Data API v3: the channel's uploads (playlistItems → videos.list), every comment
thread on the channel (allThreadsRelatedToChannelId) and the replies beyond the five a
thread embeds (comments.list by parentId)."""

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
from kanalvakt.capture.normalize import youtube
from kanalvakt.capture.normalize._common import parse_time

API = "https://www.googleapis.com/youtube/v3"


def _get(ctx: FetchContext, path: str, params: dict, task: Task):
    if task.get("page"):
        params = {**params, "pageToken": task["page"]}
    return ctx.http.get_json(f"{API}/{path}", params=params, headers=bearer(ctx.token))[0]


@register
class YouTubeConnector:
    key = "youtube"
    platform = "youtube"
    label = "YouTube (Data API v3)"
    needs_token = True
    detects_deletions = True

    def initial_tasks(self, ctx: FetchContext) -> list[Task]:
        return [{"s": "uploads"}, {"s": "threads"}]

    def fetch(self, ctx: FetchContext, task: Task) -> Fetched:
        channel_id = ctx.identity.account_id
        if task["s"] == "uploads":
            uploads = "UU" + channel_id[2:]  # the channel's uploads playlist
            params = {"part": "contentDetails", "playlistId": uploads, "maxResults": 50}
            payload = _get(ctx, "playlistItems", params, task)
            details = [i.get("contentDetails") or {} for i in payload.get("items") or []]
            times = [
                parse_time(d["videoPublishedAt"]) for d in details if d.get("videoPublishedAt")
            ]
            ids = [d["videoId"] for d in details if d.get("videoId")]
            stop = older_than_window(times, ctx.since)
            follow = [{"s": "videos", "ids": ids}] if ids else []
            return Fetched([], None if stop else youtube.next_cursor(payload), follow)
        if task["s"] == "videos":
            params = {"part": "snippet", "id": ",".join(task["ids"]), "maxResults": 50}
            payload = _get(ctx, "videos", params, task)
            return Fetched(
                guard_page(
                    "youtube", lambda: list(youtube.items_from_videos_page(payload, ctx.identity))
                )
            )
        if task["s"] == "threads":
            params = {
                "part": "snippet,replies",
                "allThreadsRelatedToChannelId": channel_id,
                "maxResults": 100,
                "order": "time",
                "textFormat": "html",
            }
            payload = _get(ctx, "commentThreads", params, task)
            results = guard_page(
                "youtube",
                lambda: list(youtube.items_from_comment_threads_page(payload, ctx.identity)),
            )
            times = [
                parse_time(t["snippet"]["topLevelComment"]["snippet"]["publishedAt"])
                for t in payload.get("items") or []
                if isinstance(t, dict) and "snippet" in t
            ]
            stop = older_than_window(times, ctx.since)
            return Fetched(
                results, None if stop else youtube.next_cursor(payload), _more_replies(payload)
            )
        if task["s"] == "replies":
            params = {"part": "snippet", "parentId": task["parent"], "maxResults": 100}
            payload = _get(ctx, "comments", params, task)
            results = guard_page(
                "youtube",
                lambda: list(
                    youtube.items_from_comments_page(
                        payload, ctx.identity, video_id=task.get("video")
                    )
                ),
            )
            return Fetched(results, youtube.next_cursor(payload))
        raise ValueError(f"unknown task {task!r}")

    def health(self, ctx: FetchContext) -> Health:
        payload = _get(ctx, "channels", {"part": "snippet", "id": ctx.identity.account_id}, {})
        items = payload.get("items") or []
        if not items:
            return Health(False, "the channel id is unknown to YouTube")
        return Health(True, f"{items[0]['snippet'].get('title')} ({items[0]['id']})")


def _more_replies(payload: dict) -> list[Task]:
    tasks = []
    for thread in payload.get("items") or []:
        if not isinstance(thread, dict):
            continue
        snippet = thread.get("snippet") or {}
        embedded = len((thread.get("replies") or {}).get("comments") or [])
        if (snippet.get("totalReplyCount") or 0) > embedded:
            top = snippet.get("topLevelComment") or {}
            tasks.append({"s": "replies", "parent": top.get("id"), "video": snippet.get("videoId")})
    return [t for t in tasks if t["parent"]]
