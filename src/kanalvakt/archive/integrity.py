"""The Django side of the integrity log: append new records, sign heads, prove, verify.

Appending runs from a high-water mark (every ItemVersion above the last logged one, every
fetched Media and stored screenshot file not yet logged), so nothing is missed if a signal
is lost; receivers of ``items_captured`` and ``screenshot_stored`` merely enqueue it. One
transaction holds the head row locked, so two workers never give out the same index.
Records for verification are built from the LIVE rows, never from copies, with
deterministic metadata (ISO UTC dates, no floats).

A disposed item (R7.1, records.disposal) keeps its ItemVersion/Media rows and log entries
but not their content: its record is checked against the hash its Tombstone kept, and the
content check is skipped only where the content really is gone.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from datetime import UTC
from typing import NamedTuple

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from kanalvakt.archive.integrity_models import LogHead, LogLeaf, LogNode, SignedTreeHeadRow
from kanalvakt.archive.merkle import MerkleTree, record_leaf_hash
from kanalvakt.archive.models import ItemVersion, Media, canonical_version_bytes
from kanalvakt.archive.tree_head import (
    SignedTreeHead,
    load_or_create_signing_key,
    sign_tree_head,
)
from kanalvakt.archive.verify_core import StoredRecord, VerificationReport, verify_log

logger = logging.getLogger(__name__)

ITEM_VERSION = "item_version"
MEDIA = "media"
SCREENSHOT = "screenshot"
BATCH = 5000
NODE_LEVEL = 8  # perfect subtrees of 256 leaves and more are stored (LogNode)
_CHUNK = 64 * 1024


def iso_utc(value) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else None


# --- records: kind, id, sha256, metadata, content ---------------------------------------


def version_metadata(version: ItemVersion) -> dict:
    return {
        "captured_at": iso_utc(version.captured_at),
        "item": version.item_id,
        "number": version.number,
    }


def media_metadata(media: Media) -> dict:
    return {"identity_key": media.identity_key, "item": media.item_id, "size": media.size}


def screenshot_metadata(shot_file) -> dict:
    return {
        "content_type": shot_file.content_type,
        "role": shot_file.role,
        "screenshot": shot_file.screenshot_id,
        "size": shot_file.size,
    }


def version_content(version: ItemVersion) -> bytes | None:
    """The canonical bytes ItemVersion.sha256 was taken over, rebuilt from the row."""
    item = version.item
    return canonical_version_bytes(
        item.platform,
        item.external_id,
        version.number,
        version.text,
        version.title,
        version.edited_at.isoformat() if version.edited_at else None,
        version.deleted,
        list(version.media_keys),
        version.raw_json,
    )


def stored_file_content(name: str):
    """A callable reading a stored file in chunks, or None when there is no file."""
    if not name:
        return None

    def chunks():
        with default_storage.open(name, "rb") as handle:
            while block := handle.read(_CHUNK):
                yield block

    return chunks


def media_content(media: Media):
    return stored_file_content(media.file)


# --- appending ---------------------------------------------------------------------------


def _locked_head() -> LogHead:
    LogHead.objects.get_or_create(pk=1)
    return LogHead.objects.select_for_update().get(pk=1)


def append_pending(batch_size: int = BATCH) -> int:
    """Log every record not yet in the log; return how many were appended."""
    total = 0
    while True:
        appended = _append_batch(batch_size)
        total += appended
        if appended < batch_size:
            return total


_leaf = record_leaf_hash


class _NewVersion(NamedTuple):
    """What a leaf of an ItemVersion is made of (plain rows: appending is bulk work)."""

    pk: int
    item_id: int
    number: int
    sha256: str
    captured_at: object


def _append_batch(batch_size: int) -> int:
    with transaction.atomic():
        head = _locked_head()
        versions = [
            _NewVersion(*row)
            for row in ItemVersion.objects.filter(pk__gt=head.last_item_version_pk)
            .order_by("pk")
            .values_list(*_NewVersion._fields)[:batch_size]
        ]
        entries = [
            (ITEM_VERSION, v.pk, _leaf(ITEM_VERSION, v.pk, v.sha256, version_metadata(v)))
            for v in versions
        ]
        room = batch_size - len(entries)
        if room > 0:
            logged = LogLeaf.objects.filter(kind=MEDIA, record_pk=OuterRef("pk"))
            media = (
                Media.objects.exclude(sha256="")
                .filter(~Exists(logged))
                .order_by("pk")
                .only("pk", "item_id", "identity_key", "size", "sha256")[:room]
            )
            entries += [
                (MEDIA, m.pk, _leaf(MEDIA, m.pk, m.sha256, media_metadata(m))) for m in media
            ]
        room = batch_size - len(entries)
        if room > 0:
            entries += [
                (SCREENSHOT, f.pk, _leaf(SCREENSHOT, f.pk, f.sha256, screenshot_metadata(f)))
                for f in _unlogged_screenshot_files(room)
            ]
        if not entries:
            return 0
        completed: dict[tuple[int, int], bytes] = {}
        tree = MerkleTree.resume(
            head.size, bytes(head.frontier), node_cache=completed, cache_min_level=NODE_LEVEL
        )
        now = timezone.now()
        rows = []
        for kind, pk, leaf_hash in entries:
            rows.append(
                LogLeaf(
                    index=tree.append(leaf_hash),
                    kind=kind,
                    record_pk=pk,
                    leaf_hash=leaf_hash,
                    appended_at=now,
                )
            )
        _insert_leaves(rows)
        LogNode.objects.bulk_create(
            [LogNode(level=lv, index=i, hash=h) for (lv, i), h in completed.items()]
        )
        head.size = tree.size
        head.frontier = tree.frontier_bytes()
        if versions:
            head.last_item_version_pk = versions[-1].pk
        head.save()
        return len(rows)


def _unlogged_screenshot_files(limit: int) -> list:
    from kanalvakt.screenshots.models import ScreenshotFile

    logged = LogLeaf.objects.filter(kind=SCREENSHOT, record_pk=OuterRef("pk"))
    return list(
        ScreenshotFile.objects.filter(~Exists(logged))
        .order_by("pk")
        .only("pk", "screenshot_id", "role", "content_type", "size", "sha256")[:limit]
    )


def _insert_leaves(rows: list[LogLeaf]) -> None:
    if connection.vendor != "postgresql":
        LogLeaf.objects.bulk_create(rows, batch_size=1000)
        return
    # COPY: bulk_create's SQL building costs more than the hashing (≈ 5k rows/s).
    table = connection.ops.quote_name(LogLeaf._meta.db_table)
    sql = f'COPY {table} ("index", kind, record_pk, leaf_hash, appended_at) FROM STDIN'
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row((row.index, row.kind, row.record_pk, row.leaf_hash, row.appended_at))


# --- tree heads and proofs --------------------------------------------------------------


def signing_key():
    return load_or_create_signing_key(settings.ARCHIVE_SIGNING_KEY_FILE)


def public_key():
    return signing_key().public_key()


def sign_current_head() -> SignedTreeHeadRow | None:
    """Sign the head as it is now, unless the newest signed head already has this size."""
    head = LogHead.objects.filter(pk=1).first()
    size = head.size if head else 0
    latest = SignedTreeHeadRow.objects.order_by("-size", "-timestamp_ms").first()
    if latest is not None and latest.size == size:
        return None
    tree = MerkleTree.resume(size, bytes(head.frontier) if head else b"")
    sth = sign_tree_head(signing_key(), size, tree.root())
    token = None
    if settings.ARCHIVE_TSA_URL:
        from kanalvakt.archive.tree_head import TreeHeadError, timestamp_tree_head

        try:
            token = timestamp_tree_head(sth, settings.ARCHIVE_TSA_URL)
        except TreeHeadError:
            logger.exception("Time-stamping the tree head failed; signed without it")
    return SignedTreeHeadRow.objects.create(
        size=sth.size,
        root_hash=sth.root_hash,
        timestamp_ms=sth.timestamp,
        document=sth.to_json().decode(),
        timestamp_token=token,
    )


def stored_heads() -> list[SignedTreeHead]:
    return [SignedTreeHead.from_json(row.document) for row in SignedTreeHeadRow.objects.all()]


def leaf_hashes(start: int, end: int) -> list[bytes]:
    rows = LogLeaf.objects.filter(index__gte=start, index__lt=end).order_by("index")
    return [bytes(h) for h in rows.values_list("leaf_hash", flat=True)]


class StoredNodes(dict):
    """LogNode rows as the tree's node cache: read on first use, then kept for this one
    proof. Nodes the tree computes while proving are kept in memory only; appending is
    what stores them."""

    def __missing__(self, key):
        level, index = key
        row = LogNode.objects.filter(level=level, index=index).values_list("hash", flat=True)
        found = row.first()
        if found is None:
            raise KeyError(key)
        self[key] = bytes(found)
        return self[key]

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key):
        return self.get(key) is not None


def proof_tree() -> MerkleTree | None:
    """The log as a tree to prove against: the stored frontier, nodes and leaves."""
    head = LogHead.objects.filter(pk=1).first()
    if head is None:
        return None
    return MerkleTree.resume(
        head.size,
        bytes(head.frontier),
        leaf_hashes,
        node_cache=StoredNodes(),
        cache_min_level=NODE_LEVEL,
    )


def inclusion_proof(kind: str, record_pk: int) -> dict | None:
    """Proof that a record is in the log under the newest signed head, or None."""
    leaf = LogLeaf.objects.filter(kind=kind, record_pk=record_pk).first()
    latest = SignedTreeHeadRow.objects.order_by("-size", "-timestamp_ms").first()
    if leaf is None or latest is None or latest.size <= leaf.index:
        return None
    return {
        "index": leaf.index,
        "leaf_hash": bytes(leaf.leaf_hash).hex(),
        "tree_head": SignedTreeHead.from_json(latest.document).to_dict(),
        "path": [h.hex() for h in proof_tree().inclusion_proof(leaf.index, latest.size)],
    }


# --- verification -----------------------------------------------------------------------


class LiveRecords(dict):
    """The live rows of one chunk of the log, by kind, plus the tombstones of their items."""

    def __init__(self, versions: dict, media: dict, screenshots: dict, tombstones: dict):
        super().__init__({ITEM_VERSION: versions, MEDIA: media, SCREENSHOT: screenshots})
        self.tombstones = tombstones  # item id -> Tombstone


def _in_range(manager, field: str, values):
    """Rows whose ``field`` lies between the smallest and largest of ``values``: versions
    are logged in id order, so a chunk's ids are one range, and a range costs the database
    nothing where binding 5,000 ids to an IN list costs Django tens of milliseconds."""
    if not values:
        return manager.none()
    return manager.filter(**{f"{field}__gte": min(values), f"{field}__lte": max(values)})


def _tombstones_for(item_ids) -> dict:
    from kanalvakt.records.retention_models import Tombstone

    item_ids = set(item_ids)
    found = _in_range(Tombstone.objects, "item_id", item_ids)
    return {t.item_id: t for t in found if t.item_id in item_ids}


class LeafRow(NamedTuple):
    index: int
    kind: str
    record_pk: int
    leaf_hash: bytes


class VersionRow(NamedTuple):
    """The columns of an ItemVersion (and its item) that its record is built from: plain
    tuples, because building a million model instances dominated verification."""

    pk: int
    item_id: int
    number: int
    captured_at: object
    text: str
    title: str
    edited_at: object
    deleted: bool
    media_keys: list
    raw_json: str
    sha256: str
    platform: str
    external_id: str

    @property
    def item(self):  # version_content reads platform and external id from the item
        return self


_VERSION_COLUMNS = [*VersionRow._fields[:-2], "item__platform", "item__external_id"]


def iter_log(chunk: int = BATCH) -> Iterator[tuple[list[LeafRow], LiveRecords]]:
    """Log entries in index order, a chunk at a time, with their live records."""
    from kanalvakt.screenshots.models import ScreenshotFile

    start = 0
    columns = ("index", "kind", "record_pk", "leaf_hash")
    while True:
        rows = LogLeaf.objects.filter(index__gte=start).order_by("index").values_list(*columns)
        leaves = [LeafRow(*row) for row in rows[:chunk]]
        if not leaves:
            return
        pks = {ITEM_VERSION: [], MEDIA: [], SCREENSHOT: []}
        for leaf in leaves:
            pks.get(leaf.kind, []).append(leaf.record_pk)
        version_rows = _in_range(ItemVersion.objects, "pk", pks[ITEM_VERSION])
        versions = {row[0]: VersionRow(*row) for row in version_rows.values_list(*_VERSION_COLUMNS)}
        media = Media.objects.in_bulk(pks[MEDIA])
        screenshots = ScreenshotFile.objects.in_bulk(pks[SCREENSHOT])
        items = {v.item_id for v in versions.values()} | {m.item_id for m in media.values()}
        yield leaves, LiveRecords(versions, media, screenshots, _tombstones_for(items))
        start = leaves[-1].index + 1


def _disposed_hash(tombstones: dict, item_id: int, key: str, pk: int) -> str | None:
    tombstone = tombstones.get(item_id)
    if tombstone is None:
        return None
    return (tombstone.version_hashes if key == "v" else tombstone.media_hashes).get(str(pk))


def live_record(leaf: LeafRow, live: LiveRecords, *, content: bool = True):
    tombstones = live.tombstones
    if leaf.kind == ITEM_VERSION and leaf.record_pk in live[ITEM_VERSION]:
        v = live[ITEM_VERSION][leaf.record_pk]
        kept = _disposed_hash(tombstones, v.item_id, "v", v.pk)
        if kept is not None and not v.raw_json:
            # Disposed of: the tombstone's hash must still be the one the log holds.
            return StoredRecord(leaf.index, ITEM_VERSION, v.pk, kept, version_metadata(v))
        data = version_content(v) if content else None
        return StoredRecord(leaf.index, ITEM_VERSION, v.pk, v.sha256, version_metadata(v), data)
    if leaf.kind == MEDIA and leaf.record_pk in live[MEDIA]:
        m = live[MEDIA][leaf.record_pk]
        kept = _disposed_hash(tombstones, m.item_id, "m", m.pk)
        if kept is not None and not m.file:
            return StoredRecord(leaf.index, MEDIA, m.pk, kept, media_metadata(m))
        data = media_content(m) if content else None
        return StoredRecord(leaf.index, MEDIA, m.pk, m.sha256, media_metadata(m), data)
    if leaf.kind == SCREENSHOT and leaf.record_pk in live[SCREENSHOT]:
        f = live[SCREENSHOT][leaf.record_pk]
        data = stored_file_content(f.name) if content else None
        return StoredRecord(leaf.index, SCREENSHOT, f.pk, f.sha256, screenshot_metadata(f), data)
    return None  # deleted: verify_core names the log entry without a record


def verify_database(*, check_content: bool = True, max_problems: int = 100) -> VerificationReport:
    """Records, log entries and signed heads as stored now, checked in one pass.

    The log is read once: each entry gives both the stored leaf hash and, from its live
    row, the record (None when the row is gone); tee hands the two streams to verify_log,
    which merges them by index (they stay in step, so tee buffers next to nothing)."""
    entries = (
        (leaf, live_record(leaf, live, content=check_content))
        for leaves, live in iter_log()
        for leaf in leaves
    )
    for_records, for_leaves = itertools.tee(entries)
    return verify_log(
        (record for _leaf, record in for_records if record is not None),
        ((leaf.index, bytes(leaf.leaf_hash)) for leaf, _record in for_leaves),
        stored_heads(),
        public_key(),
        max_problems=max_problems,
    )
