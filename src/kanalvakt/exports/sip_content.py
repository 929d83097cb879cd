"""The data of a package's representation, streamed from the database.

  data/items/items.jsonl      one normalised JSON object per item, grouped by thread
  data/items/versions.jsonl   every captured version with its original payload
                              (``raw_json`` exactly as received) and its SHA-256
  data/items/listing.csv      one row per item, for people and spreadsheets
  data/threads/<id>.pdf       a PDF/A-3b rendering of each thread
  data/media/<sha256>.<ext>   attachments, once each
  data/screenshots/…          the channel's screenshots taken in the period

Items are read with ``.iterator(chunk_size=…)`` as plain values, one thread is held at a
time for its PDF, and every file is hashed while it is written (sip_files).
"""

from __future__ import annotations

import csv
import json
import mimetypes
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.storage import default_storage
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from kanalvakt.archive.models import (
    Item,
    ItemKind,
    ItemVersion,
    Media,
    PublicRecordStatus,
    canonical_version_bytes,
    sha256_hex,
)
from kanalvakt.exports.premis import capture_event
from kanalvakt.exports.sip_files import FileSet
from kanalvakt.exports.sip_pdf import render_thread

CHUNK = 2000
DATA = "data"
ITEM_FIELDS = (
    "id",
    "platform",
    "external_id",
    "kind",
    "parent_external_id",
    "root_external_id",
    "author_external_id",
    "author_display_name",
    "author_handle",
    "author_is_owner",
    "public_record_status",
    "public_record_since",
    "title",
    "text",
    "text_plain",
    "language",
    "url",
    "created_on_platform_at",
    "captured_at",
    "edited_at",
    "deleted_on_platform_at",
    "hidden_on_platform",
    "content_hash",
    "version_count",
)
VERSION_FIELDS = (
    "id",
    "item_id",
    "item__platform",
    "item__external_id",
    "number",
    "sha256",
    "source",
    "captured_at",
    "edited_at",
    "deleted",
    "title",
    "text",
    "media_keys",
    "raw_json",
)
CSV_COLUMNS = (
    "id",
    "thread",
    "kind",
    "platform",
    "external_id",
    "created_on_platform_at",
    "author_display_name",
    "author_is_owner",
    "public_record_status",
    "version_count",
    "deleted_on_platform_at",
    "url",
    "title",
    "text",
)


@dataclass
class ContentStats:
    items: int = 0
    versions: int = 0
    threads: int = 0
    media: int = 0
    screenshots: int = 0
    fixity_failures: list[int] = field(default_factory=list)  # ItemVersion ids


def iso(value) -> str | None:
    return value.isoformat() if value else None


def package_items(channel, start: datetime, end: datetime):
    return Item.objects.filter(
        channel=channel, created_on_platform_at__gte=start, created_on_platform_at__lt=end
    )


def package_versions(channel, start: datetime, end: datetime):
    return ItemVersion.objects.filter(
        item__channel=channel,
        item__created_on_platform_at__gte=start,
        item__created_on_platform_at__lt=end,
    )


def normalised(row: dict) -> dict:
    document = {key: row[key] for key in ITEM_FIELDS}
    for key, value in document.items():
        if isinstance(value, datetime):
            document[key] = value.isoformat()
    document["thread"] = row["thread"]
    return document


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _pdf_item(row: dict, owner: str) -> dict:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "kind_label": ItemKind(row["kind"]).label if row["kind"] in ItemKind else row["kind"],
        "author": row["author_display_name"]
        or row["author_handle"]
        or (owner if row["author_is_owner"] else "?"),
        "created": _local(row["created_on_platform_at"]),
        "edited": _local(row["edited_at"]),
        "deleted": _local(row["deleted_on_platform_at"]),
        "status_label": PublicRecordStatus(row["public_record_status"]).label
        if row["public_record_status"] in PublicRecordStatus
        else row["public_record_status"],
        "text": row["text_plain"] or row["text"],
    }


def item_rows(channel, start, end):
    """The period's items as dicts, grouped by thread (a post and everything under it)."""
    return (
        package_items(channel, start, end)
        .annotate(thread=Coalesce(F("root_id"), F("id")))
        .order_by("thread", "created_on_platform_at", "id")
        .values(*ITEM_FIELDS, "thread")
        .iterator(chunk_size=CHUNK)
    )


def group_threads(rows):
    """(thread key, its rows) from rows ordered by thread; one thread in memory at a time."""
    thread, group = None, []
    for row in rows:
        if row["thread"] != thread and group:
            yield thread, group
            group = []
        thread = row["thread"]
        group.append(row)
    if group:
        yield thread, group


def thread_pdf(channel, creator: str, thread, rows) -> bytes:
    owner = str(channel.display_name or channel)
    return render_thread(str(channel), creator, thread, [_pdf_item(r, owner) for r in rows])


def write_items(files: FileSet, channel, start, end, creator: str, stats):
    """items.jsonl, listing.csv and one PDF per thread, in one pass over the items."""
    items_path, csv_path = f"{DATA}/items/items.jsonl", f"{DATA}/items/listing.csv"
    items_out = files.open(items_path, text=True)
    csv_out = files.open(csv_path, text=True)
    listing = csv.writer(csv_out, lineterminator="\n")
    listing.writerow(CSV_COLUMNS)

    def written(rows):
        for row in rows:
            stats.items += 1
            document = normalised(row)
            items_out.write(json.dumps(document, ensure_ascii=False) + "\n")
            listing.writerow([document.get(c, "") for c in CSV_COLUMNS])
            yield row

    for thread, rows in group_threads(written(item_rows(channel, start, end))):
        stats.threads += 1
        pdf = thread_pdf(channel, creator, thread, rows)
        files.write_bytes(f"{DATA}/threads/thread-{thread}.pdf", pdf, "threads", "application/pdf")
    files.done(items_path, items_out, "items", "application/json")
    files.done(csv_path, csv_out, "items", "text/csv")


def version_bytes(row: dict) -> bytes:
    """The canonical bytes the version's SHA-256 (and so the integrity log) covers."""
    return canonical_version_bytes(
        row["platform"],
        row["external_id"],
        row["number"],
        row["text"],
        row["title"],
        row["edited_at"],
        row["deleted"],
        list(row["media_keys"]),
        row["raw_json"],
    )


def write_versions(files: FileSet, channel, start, end, stats, capture_events) -> None:
    """versions.jsonl, re-hashing each version on the way (the PREMIS fixity check), and
    each version's PREMIS capture event to the text file ``capture_events``."""
    path = f"{DATA}/items/versions.jsonl"
    out = files.open(path, text=True)
    rows = (
        package_versions(channel, start, end)
        .order_by("item_id", "number")
        .values(*VERSION_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        stats.versions += 1
        line = {
            "version_id": row["id"],
            "item": row["item_id"],
            "platform": row["item__platform"],
            "external_id": row["item__external_id"],
            "number": row["number"],
            "sha256": row["sha256"],
            "source": row["source"],
            "captured_at": iso(row["captured_at"]),
            "edited_at": iso(row["edited_at"]),
            "deleted": row["deleted"],
            "title": row["title"],
            "text": row["text"],
            "media_keys": row["media_keys"],
            "raw_json": row["raw_json"],
        }
        if sha256_hex(version_bytes(line)) != row["sha256"]:
            stats.fixity_failures.append(row["id"])
        capture_events.write(
            capture_event(row["id"], row["item_id"], line["captured_at"], row["source"])
        )
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    files.done(path, out, "items", "application/json")


def _extension(mimetype: str) -> str:
    return (mimetypes.guess_extension(mimetype or "") or ".bin").lstrip(".")


def write_media(files: FileSet, channel, start, end, stats) -> None:
    seen: set[str] = set()
    media = (
        Media.objects.filter(
            item__channel=channel,
            item__created_on_platform_at__gte=start,
            item__created_on_platform_at__lt=end,
        )
        .exclude(file="")
        .order_by("sha256")
        .values_list("sha256", "file", "mime_type")
        .iterator(chunk_size=CHUNK)
    )
    for sha256, name, mimetype in media:
        if sha256 in seen:
            continue
        seen.add(sha256)
        with default_storage.open(name, "rb") as source:
            relative = f"{DATA}/media/{sha256}.{_extension(mimetype)}"
            files.copy_from(relative, source, "media", mimetype or "application/octet-stream")
        stats.media += 1


def write_screenshots(files: FileSet, channel, start, end, stats) -> None:
    from kanalvakt.screenshots.models import ScreenshotFile

    stored = ScreenshotFile.objects.filter(
        screenshot__channel=channel, screenshot__taken_at__gte=start, screenshot__taken_at__lt=end
    ).order_by("screenshot_id", "role")
    for row in stored.iterator(chunk_size=CHUNK):
        extension = _extension(row.content_type)
        relative = f"{DATA}/screenshots/{row.screenshot_id}-{row.role}.{extension}"
        with default_storage.open(row.name, "rb") as source:
            files.copy_from(relative, source, "screenshots", row.content_type)
        stats.screenshots += 1
