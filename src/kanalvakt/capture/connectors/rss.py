"""RSS 2.0 / Atom feeds of the municipality's own blogs and news pages. A feed lists only
its latest entries, so an entry falling out of it says nothing about deletion."""

from __future__ import annotations

from kanalvakt.capture.connectors.base import FetchContext, Fetched, Health, Task, register
from kanalvakt.capture.normalize import rss
from kanalvakt.capture.types import CapturedItem


@register
class RSSConnector:
    key = "rss"
    platform = "rss"
    label = "RSS / Atom"
    needs_token = False
    detects_deletions = False

    def initial_tasks(self, ctx: FetchContext) -> list[Task]:
        return [{"s": "feed"}]

    def fetch(self, ctx: FetchContext, task: Task) -> Fetched:
        response = ctx.http.get(ctx.identity.account_id)
        return Fetched(list(rss.items_from_feed(response.body, ctx.identity)))

    def health(self, ctx: FetchContext) -> Health:
        response = ctx.http.get(ctx.identity.account_id)
        entries = [r for r in rss.items_from_feed(response.body, ctx.identity)]
        if not any(isinstance(r, CapturedItem) for r in entries):
            return Health(False, "the feed has no readable entries")
        return Health(True, f"{len(entries)} entries")
