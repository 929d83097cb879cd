"""One capture run of one connection: resume the stored task queue (or start a new one),
fetch page by page, and commit each page's items together with the remaining queue.

A complete run ends by marking what it did not see again in the refetch window as deleted
on the platform (the archived copy stays), then schedules the next run: every 10 minutes,
every minute when the channel's activity plan says high traffic.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kanalvakt.archive.ingest import BATCH_SIZE, IngestReport, ingest_batch
from kanalvakt.archive.models import Item
from kanalvakt.capture.connectors.base import FetchContext, get_connector
from kanalvakt.capture.connectors.http import (
    PlatformError,
    PlatformHTTP,
    RateLimited,
    TokenRejected,
)
from kanalvakt.capture.models import ChannelConnection
from kanalvakt.capture.tokens import open_token
from kanalvakt.capture.types import ChannelIdentity
from kanalvakt.custody.crypto import CustodyError
from kanalvakt.organisation.access import SystemActor

logger = logging.getLogger("kanalvakt.capture")

DEFAULT_INTERVAL = timedelta(minutes=10)
HIGH_TRAFFIC_INTERVAL = timedelta(minutes=1)
REFETCH_WINDOW = timedelta(days=14)
MAX_PAGES_PER_RUN = 2_000  # a runaway listing stops here; the next run resumes the queue
WORKER = SystemActor("worker")


@dataclass
class RunSummary:
    connection_id: int
    outcome: str = "complete"  # complete, interrupted, broken, rate_limited, failed, skipped
    pages: int = 0
    marked_deleted: int = 0
    detail: str = ""
    report: IngestReport = field(default_factory=IngestReport)


def poll_interval(channel) -> timedelta:
    plan = channel.current_plan()
    return HIGH_TRAFFIC_INTERVAL if plan is not None and plan.high_traffic else DEFAULT_INTERVAL


def platform_handle(platform: str, handle: str) -> str:
    """The handle as the platform writes it: the registry keeps Mastodon accounts as
    ``server/@name``, Mastodon itself as ``name@server``."""
    if platform == "mastodon" and "/@" in handle:
        server, name = handle.split("/@", 1)
        return f"{name}@{server}"
    return handle


def identity_for(connection: ChannelConnection, platform: str) -> ChannelIdentity:
    handle = connection.options.get("handle") or platform_handle(
        platform, connection.channel.handle
    )
    return ChannelIdentity(platform, connection.account_id, handle)


def run_connection(
    connection: ChannelConnection,
    *,
    http: PlatformHTTP | None = None,
    now: datetime | None = None,
    max_pages: int | None = None,
) -> RunSummary:
    """``max_pages`` stops early (the queue stays stored): used by tests and the CLI."""
    now = now or timezone.now()
    summary = RunSummary(connection.pk)
    if connection.state != ChannelConnection.State.OK:
        summary.outcome, summary.detail = "skipped", f"connection is {connection.state}"
        return summary
    channel = connection.channel
    connector = get_connector(connection.connector)
    try:
        token = open_token(connection) if connection.has_token else None
    except CustodyError as exc:
        return _fail(connection, summary, now, f"the access token could not be opened: {exc.code}")
    if connector.needs_token and not token:
        return _broken(connection, summary, "no access token is deposited for this connection")

    window = timedelta(days=int(connection.options.get("refetch_days") or REFETCH_WINDOW.days))
    own_http = http is None
    http = http or PlatformHTTP()
    ctx = FetchContext(
        identity_for(connection, connector.platform), token, connection.options, now - window, http
    )
    stored = connection.cursor or {}
    queue = list(stored.get("queue") or [])
    started = (
        parse_datetime(stored["run_started_at"]) if queue and stored.get("run_started_at") else None
    )
    if not queue:
        queue, started = connector.initial_tasks(ctx), now
    ChannelConnection.objects.filter(pk=connection.pk).update(last_poll_started_at=now)
    try:
        while queue:
            if summary.pages >= (max_pages if max_pages is not None else MAX_PAGES_PER_RUN):
                summary.outcome = "interrupted"
                return summary
            task = queue[0]
            fetched = connector.fetch(ctx, task)
            # A platform repeating the same page token would loop forever: end the task.
            again = fetched.next_page is not None and fetched.next_page != task.get("page")
            rest = [{**task, "page": fetched.next_page}] if again else []
            rest += queue[1:] + fetched.follow_ups
            _ingest_page(connection, fetched.results, rest, started, summary, now)
            queue = rest
            summary.pages += 1
    except TokenRejected as exc:
        return _broken(connection, summary, str(exc))
    except RateLimited as exc:
        summary.outcome = "rate_limited"
        return _later(connection, summary, now + timedelta(seconds=exc.retry_after), str(exc))
    except (PlatformError, ValueError, KeyError, TypeError) as exc:
        return _fail(connection, summary, now, f"{type(exc).__name__}: {exc}")
    finally:
        if own_http:
            http.close()

    if connector.detects_deletions:
        summary.marked_deleted = mark_unseen_deleted(
            channel, connector, since=ctx.since, run_started=started, now=now
        )
    ChannelConnection.objects.filter(pk=connection.pk).update(
        cursor={},
        last_success_at=timezone.now(),
        last_refetch_completed_at=timezone.now(),
        last_error="",
        next_poll_at=now + poll_interval(channel),
    )
    return summary


def _ingest_page(connection, results, rest, started, summary: RunSummary, now) -> None:
    """Commit the page in batches; the remaining queue is stored with the last batch, so a
    kill before it refetches this page (idempotently) and a kill after it skips it."""
    cursor = {"queue": rest, "run_started_at": started.isoformat()}
    chunks = [results[i : i + BATCH_SIZE] for i in range(0, len(results), BATCH_SIZE)] or [[]]
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1

        def save_cursor(last=last):
            if last:
                ChannelConnection.objects.filter(pk=connection.pk).update(cursor=cursor)

        summary.report.merge(
            ingest_batch(
                connection.channel, chunk, source="poll", now=now, on_commit_batch=save_cursor
            )
        )


def mark_unseen_deleted(channel, connector, *, since, run_started, now) -> int:
    """Items of the window not seen again although what they hang on was: deleted on the
    platform. Own posts stand alone; anything else only counts when its parent was seen in
    this run (so a thread the connector did not walk never looks deleted)."""
    days = getattr(connector, "deletion_window_days", None)
    if days is not None:
        since = max(since, now - timedelta(days=days))
    unseen = Item.objects.filter(
        channel=channel,
        created_on_platform_at__gte=since,
        last_seen_at__lt=run_started,
        deleted_on_platform_at__isnull=True,
    ).exclude(kind="direct_message")
    own_posts = Q(kind="post", author_is_owner=True)
    parent_seen = Q(parent__last_seen_at__gte=run_started)
    ids = list(unseen.filter(own_posts | parent_seen).values_list("pk", flat=True))
    if ids:
        Item.objects.filter(pk__in=ids).update(deleted_on_platform_at=now)
    return len(ids)


def _broken(connection, summary: RunSummary, reason: str) -> RunSummary:
    from kanalvakt.capture.actions import mark_broken

    logger.warning("Capture connection %s broken: %s", connection.pk, reason)
    mark_broken(WORKER, connection, reason=reason)
    summary.outcome, summary.detail = "broken", reason
    return summary


def _later(connection, summary: RunSummary, when, reason: str) -> RunSummary:
    ChannelConnection.objects.filter(pk=connection.pk).update(
        next_poll_at=when, last_error=reason[:2000], last_error_at=timezone.now()
    )
    summary.detail = reason
    return summary


def _fail(connection, summary: RunSummary, now, reason: str) -> RunSummary:
    """Transient or unexpected: the stored queue stays, the next poll resumes from it."""
    logger.warning("Capture run of connection %s failed: %s", connection.pk, reason)
    summary.outcome = "failed"
    return _later(connection, summary, now + poll_interval(connection.channel), reason)


def claim_due(now=None) -> list[int]:
    """Connections due now, each claimed by moving its next_poll_at (two workers never run
    the same connection at once; a crashed run is retried after the claim expires)."""
    now = now or timezone.now()
    claimed = []
    due = ChannelConnection.objects.due(now).values_list("pk", "next_poll_at")
    for pk, next_poll_at in due:
        hold = now + DEFAULT_INTERVAL
        if ChannelConnection.objects.filter(pk=pk, next_poll_at=next_poll_at).update(
            next_poll_at=hold
        ):
            claimed.append(pk)
    return claimed


def refresh_order(connection_ids) -> list[ChannelConnection]:
    return list(
        ChannelConnection.objects.filter(pk__in=connection_ids)
        .select_related("channel__platform")
        .order_by(F("last_success_at").asc(nulls_first=True))
    )
