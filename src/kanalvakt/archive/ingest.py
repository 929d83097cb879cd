"""Bulk upsert of captured items into the archive.

One batch costs a handful of queries whatever its size: one SELECT for the existing items
and the parents/roots the batch names, one INSERT of new items, one of versions, one of
media, one bulk UPDATE of changed items, one UPDATE of items seen unchanged, and two
UPDATEs linking children that arrived before their parent. Each batch commits on its own
(together with whatever the caller does in ``on_commit_batch``, e.g. storing the page
cursor), so a process killed mid-run loses nothing committed and a rerun duplicates
nothing: rows are keyed by (platform, external id) and a version is added only when the
content hash differs from the item's latest.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from kanalvakt.archive import text_safety
from kanalvakt.archive.models import CaptureError as CaptureErrorRow
from kanalvakt.archive.models import (
    Item,
    ItemVersion,
    Media,
    PublicRecordStatus,
    canonical_version_bytes,
    sha256_hex,
)
from kanalvakt.archive.signals import items_captured
from kanalvakt.capture.types import CapturedItem, CaptureError, CaptureResult, Skipped

BATCH_SIZE = 500
MAX_LISTED_SKIPS = 10_000  # per report; counts by reason are always complete
_ROOT_WALK_DEPTH = 50


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0  # existing items with a new version
    unchanged: int = 0
    errors: int = 0
    skipped: list[tuple[str | None, str]] = field(default_factory=list)
    skip_reasons: Counter = field(default_factory=Counter)
    error_reasons: list[tuple[str | None, str]] = field(default_factory=list)

    @property
    def skipped_count(self) -> int:
        return sum(self.skip_reasons.values())

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors += other.errors
        room = MAX_LISTED_SKIPS - len(self.skipped)
        self.skipped.extend(other.skipped[: max(room, 0)])
        self.skip_reasons.update(other.skip_reasons)
        self.error_reasons.extend(other.error_reasons[: max(room, 0)])

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped_count,
            "errors": self.errors,
        }


def ingest(
    channel,
    results: Iterable[CaptureResult],
    *,
    source: str,
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
) -> IngestReport:
    """Upsert a stream of capture results for ``channel`` batch by batch."""
    report = IngestReport()
    iterator = iter(results)
    while batch := list(itertools.islice(iterator, batch_size)):
        report.merge(ingest_batch(channel, batch, source=source, now=now))
    return report


def ingest_batch(
    channel,
    batch: list[CaptureResult],
    *,
    source: str,
    now: datetime | None = None,
    on_commit_batch: Callable[[], None] | None = None,
) -> IngestReport:
    """One batch in one transaction; ``on_commit_batch`` runs inside it (store a cursor).

    A concurrent writer (a webhook while the worker polls) may insert the same item first;
    the batch is then retried once and finds it as existing.
    """
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                report, changed_ids = _upsert(channel, batch, source, now or timezone.now())
                if on_commit_batch is not None:
                    on_commit_batch()
            break
        except IntegrityError:
            if attempt == 2:
                raise
    if changed_ids:
        # Sent after the commit, in this process: the webhook path screens synchronously.
        items_captured.send(sender=Item, channel=channel, item_ids=changed_ids, source=source)
    return report


@dataclass
class _Pending:
    """A row to write: an Item (new or existing) and the versions to add to it."""

    item: Item
    is_new: bool
    versions: list[tuple[CapturedItem, str]] = field(default_factory=list)  # (capture, hash)
    changed: bool = False


def _upsert(channel, batch, source, now) -> tuple[IngestReport, list[int]]:
    report = IngestReport()
    captures: dict[tuple[str, str], list[CapturedItem]] = {}
    error_rows = []
    for result in batch:
        if isinstance(result, CapturedItem):
            problem = text_safety.id_problem(result.external_id)
            if problem is None:
                captures.setdefault((result.platform, result.external_id), []).append(result)
                continue
            result = CaptureError(result.platform, result.external_id, problem, result.raw)
        if isinstance(result, CaptureError):
            report.errors += 1
            report.error_reasons.append((result.external_id, result.reason))
            error_rows.append(_error_row(channel, result, source, now))
        elif isinstance(result, Skipped):
            report.skip_reasons[result.reason] += 1
            if len(report.skipped) < MAX_LISTED_SKIPS:
                report.skipped.append((result.external_id, result.reason))
    if error_rows:
        CaptureErrorRow.objects.bulk_create(error_rows)
    if not captures:
        return report, []

    known = _known_rows(captures)
    pending: dict[tuple[str, str], _Pending] = {}
    for key, seen in captures.items():
        row = known.get(key)
        entry = pending[key] = _Pending(row or _new_item(channel, seen, now), row is None)
        for captured in seen:
            digest = captured.content_hash()
            if digest != entry.item.content_hash:
                entry.versions.append((captured, digest))
                _apply(entry.item, captured, digest, now)
                entry.changed = True
        _observe(entry, seen, now)

    new = [p for p in pending.values() if p.is_new]
    _link_known(new, known)
    Item.objects.bulk_create([p.item for p in new])
    _write_versions(pending.values(), source, now)
    changed_existing = [p.item for p in pending.values() if not p.is_new and p.changed]
    if changed_existing:
        _update_rows(changed_existing)
    unchanged = [p.item.pk for p in pending.values() if not p.is_new and not p.changed]
    if unchanged:
        Item.objects.filter(pk__in=unchanged).update(last_seen_at=now)
    _link_within_batch_and_orphans(channel, new, known)

    report.added = len(new)
    report.updated = len(changed_existing)
    report.unchanged = len(unchanged)
    _note_own_posts(channel, [p.item for p in new])
    return report, [p.item.pk for p in pending.values() if p.changed]


_UPDATED_FIELDS = [
    "kind",
    "text",
    "text_plain",
    "title",
    "language",
    "url",
    "author_display_name",
    "author_handle",
    "created_on_platform_at",
    "edited_at",
    "deleted_on_platform_at",
    "last_seen_at",
    "content_hash",
    "version_count",
]


# Django's bulk_update builds one CASE per column and row, which SQLite evaluates in
# quadratic time; UPDATE … FROM (VALUES …) is one statement per chunk on both databases.
_ROWS_PER_UPDATE = 60  # × 15 parameters stays under SQLite's classic 999-parameter limit
_CASTS = {"created_on_platform_at": "timestamptz", "edited_at": "timestamptz",
          "deleted_on_platform_at": "timestamptz", "last_seen_at": "timestamptz",
          "version_count": "integer"}  # fmt: skip


def _update_rows(items: list[Item]) -> None:
    table = Item._meta.db_table
    columns = [Item._meta.get_field(name).column for name in _UPDATED_FIELDS]
    postgres = connection.vendor == "postgresql"
    names = ["column1", *(f"column{i + 2}" for i in range(len(columns)))]

    def ref(index: int, name: str) -> str:
        cast = _CASTS.get(name) if postgres else None
        return f"v.{names[index + 1]}" + (f"::{cast}" if cast else "")

    assignments = ", ".join(
        f"{connection.ops.quote_name(col)} = {ref(i, name)}"
        for i, (col, name) in enumerate(zip(columns, _UPDATED_FIELDS, strict=True))
    )
    alias = f"v({', '.join(names)})" if postgres else "v"
    id_ref = "v.column1::bigint" if postgres else "v.column1"
    with connection.cursor() as cursor:
        for start in range(0, len(items), _ROWS_PER_UPDATE):
            chunk = items[start : start + _ROWS_PER_UPDATE]
            row = "(" + ", ".join(["%s"] * len(names)) + ")"
            params = []
            for item in chunk:
                params.append(item.pk)
                for name in _UPDATED_FIELDS:
                    field = Item._meta.get_field(name)
                    params.append(field.get_db_prep_save(getattr(item, field.attname), connection))
            cursor.execute(
                f"UPDATE {connection.ops.quote_name(table)} SET {assignments} "  # noqa: S608 - names from the model
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS {alias} "
                f"WHERE {connection.ops.quote_name(table)}.id = {id_ref}",
                params,
            )


def _known_rows(captures) -> dict[tuple[str, str], Item]:
    """Existing items of the batch and the parents/roots it names, in one query per platform."""
    by_platform: dict[str, set[str]] = {}
    for (platform, external_id), seen in captures.items():
        wanted = by_platform.setdefault(platform, set())
        wanted.add(external_id)
        for captured in seen:
            wanted.update(filter(None, (captured.parent_external_id, captured.root_external_id)))
    known = {}
    for platform, ids in by_platform.items():
        rows = Item.objects.filter(platform=platform, external_id__in=ids).defer(
            "text", "text_plain"
        )
        known.update({(platform, row.external_id): row for row in rows})
    return known


def _new_item(channel, seen: list[CapturedItem], now) -> Item:
    first = seen[0]
    owner = any(c.author_is_owner for c in seen)
    created = min(c.created_at for c in seen)  # an X edit's created_at is the edit time
    return Item(
        channel=channel,
        platform=first.platform,
        external_id=first.external_id,
        kind=first.kind,
        parent_external_id=first.parent_external_id or "",
        root_external_id=first.root_external_id or "",
        author_external_id=text_safety.clip(first.author_external_id, 300),
        author_is_owner=owner,
        public_record_status=(
            PublicRecordStatus.DRAWN_UP if owner else PublicRecordStatus.RECEIVED
        ),
        public_record_since=created,
        created_on_platform_at=created,
        captured_at=now,
        last_seen_at=now,
        content_hash="",
        version_count=0,
    )


def _apply(item: Item, captured: CapturedItem, digest: str, now) -> None:
    """Make the item's current columns those of ``captured`` (a new version)."""
    item.kind = captured.kind
    item.text = text_safety.db_text(captured.text)
    item.text_plain = text_safety.db_text(captured.text_plain or "")
    item.title = text_safety.clip(captured.title, 1000)
    item.language = text_safety.clip(captured.language, 20)
    item.url = text_safety.url(captured.url)
    item.author_display_name = text_safety.clip(captured.author_display_name, 500)
    item.author_handle = text_safety.clip(captured.author_handle, 300)
    item.edited_at = captured.edited_at
    item.created_on_platform_at = min(item.created_on_platform_at, captured.created_at)
    item.content_hash = digest
    item.version_count += 1


def _observe(entry: _Pending, seen: list[CapturedItem], now) -> None:
    """Deletion as the latest capture says it: an export's deleted tweet, or an item marked
    deleted by the refetch that the platform shows again."""
    item = entry.item
    deleted_at = seen[-1].deleted_at
    if item.deleted_on_platform_at != deleted_at:
        if not entry.is_new and (deleted_at is None) != (item.deleted_on_platform_at is None):
            entry.changed = True
        if entry.is_new or entry.changed:
            item.deleted_on_platform_at = deleted_at
    item.last_seen_at = now


def _write_versions(entries, source, now) -> None:
    versions, media = [], []
    for entry in entries:
        item = entry.item
        number = item.version_count - len(entry.versions)
        for captured, digest in entry.versions:
            number += 1
            raw_json = text_safety.raw_json(captured.raw)
            media_keys = sorted(m.identity_key() for m in captured.media)
            text = text_safety.db_text(captured.text)
            title = text_safety.clip(captured.title, 1000)
            edited = captured.edited_at.isoformat() if captured.edited_at else None
            deleted = captured.deleted_at is not None
            canonical = canonical_version_bytes(
                item.platform, item.external_id, number, text, title, edited, deleted,
                media_keys, raw_json,
            )  # fmt: skip
            versions.append(
                ItemVersion(
                    item_id=item.pk,
                    number=number,
                    content_hash=digest,
                    sha256=sha256_hex(canonical),
                    text=text,
                    text_plain=text_safety.db_text(captured.text_plain or ""),
                    title=title,
                    edited_at=captured.edited_at,
                    deleted=deleted,
                    media_keys=media_keys,
                    raw_json=raw_json,
                    source=source[:20],
                    captured_at=now,
                )
            )
            for ref in captured.media:
                media.append(
                    Media(
                        item_id=item.pk,
                        identity_key=ref.identity_key()[:700],
                        source_url=ref.url[:2000],
                        mime_type=(ref.mime_type or "")[:100],
                    )
                )
    ItemVersion.objects.bulk_create(versions)
    if media:
        Media.objects.bulk_create(media, ignore_conflicts=True)


def _link_known(new: list[_Pending], known) -> None:
    """Parents and roots already stored: set before the insert, no extra query."""
    for entry in new:
        item = entry.item
        parent = known.get((item.platform, item.parent_external_id))
        if parent is not None:
            item.parent_id = parent.pk
            if not item.root_external_id:  # exports without a conversation id
                item.root_external_id = parent.root_external_id or parent.external_id
        root = known.get((item.platform, item.root_external_id))
        if root is not None:
            item.root_id = root.pk


def _link_within_batch_and_orphans(channel, new: list[_Pending], known) -> None:
    """Link items whose parent/root is in this batch, and earlier items waiting for them."""
    if not new:
        return
    by_key = {(p.item.platform, p.item.external_id): p.item for p in new}
    lookup = {**known, **by_key}
    relinked = {}
    for _ in range(_ROOT_WALK_DEPTH):  # roots through reply chains inside the batch
        progress = False
        for item in by_key.values():
            touched = False
            parent = by_key.get((item.platform, item.parent_external_id))
            if parent is not None and item.parent_id is None:
                item.parent_id, touched = parent.pk, True
            if parent is not None and not item.root_external_id and parent.root_external_id:
                item.root_external_id, touched = parent.root_external_id, True
            root = lookup.get((item.platform, item.root_external_id))
            if root is not None and item.root_id is None:
                item.root_id, touched = root.pk, True
            if touched:
                relinked[item.pk], progress = item, True
        if not progress:
            break
    if relinked:
        Item.objects.bulk_update(list(relinked.values()), ["parent", "root", "root_external_id"])
    for platform in {key[0] for key in by_key}:
        ids = [key[1] for key in by_key if key[0] == platform]
        same = Item.objects.filter(platform=platform)
        by_external = same.filter(external_id=OuterRef("parent_external_id")).values("pk")[:1]
        adopted = same.filter(parent__isnull=True, parent_external_id__in=ids).update(
            parent=Subquery(by_external)
        )
        root_of = same.filter(external_id=OuterRef("root_external_id")).values("pk")[:1]
        same.filter(root__isnull=True, root_external_id__in=ids).update(root=Subquery(root_of))
        rootless = any(not i.root_external_id for k, i in by_key.items() if k[0] == platform)
        if adopted or rootless:
            _walk_missing_roots(channel, platform)


def _walk_missing_roots(channel, platform) -> None:
    """Replies stored before their thread was known (X/Mastodon exports carry no root):
    take the parent's root, level by level."""
    same = Item.objects.filter(platform=platform)
    waiting = same.filter(channel=channel, root_external_id="", parent__isnull=False).exclude(
        parent__root_external_id=""
    )
    parent_root = Item.objects.filter(pk=OuterRef("parent_id")).values("root_external_id")[:1]
    walked = False
    for _ in range(_ROOT_WALK_DEPTH):
        if not waiting.update(root_external_id=Subquery(parent_root)):
            break
        walked = True
    if walked:
        root_of = same.filter(external_id=OuterRef("root_external_id")).values("pk")[:1]
        same.filter(channel=channel, root__isnull=True).exclude(root_external_id="").update(
            root=Subquery(root_of)
        )


def _note_own_posts(channel, items: list[Item]) -> None:
    """R3.2 reads Channel.last_own_post_at; a conditional UPDATE never moves it back."""
    own = [i.created_on_platform_at for i in items if i.author_is_owner and i.kind == "post"]
    if not own:
        return
    latest = max(own)
    type(channel).objects.filter(pk=channel.pk).filter(
        Q(last_own_post_at__isnull=True) | Q(last_own_post_at__lt=latest)
    ).update(last_own_post_at=latest)


def _error_row(channel, error: CaptureError, source, now) -> CaptureErrorRow:
    return CaptureErrorRow(
        channel=channel,
        platform=error.platform[:20],
        external_id=text_safety.clip(error.external_id, 700),
        reason=text_safety.db_text(error.reason),
        raw_json=text_safety.raw_json(error.raw) if error.raw is not None else "",
        source=source[:40],
        occurred_at=now,
    )


def record_errors(channel, errors: Iterable[CaptureError], *, source: str) -> int:
    """Store capture errors found outside a batch (a page that failed to parse)."""
    now = timezone.now()
    rows = [_error_row(channel, e, source, now) for e in errors]
    CaptureErrorRow.objects.bulk_create(rows)
    return len(rows)
