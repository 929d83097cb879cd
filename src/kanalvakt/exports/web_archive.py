"""One channel's archive as a web archive: WARC 1.1 (warcio) and WACZ 1.1 (wacz).

Optional beside the e-archive package: Riksarkivet does not take WARC, but other
e-archives and web-archive tools (pywb, ReplayWeb.page) do. One WARC holds:

  warcinfo   Kanalvakt, the municipality, the channel and the period;
  resource   per item version: the payload exactly as the platform sent it (JSON),
             WARC-Target-URI = the item's permalink on the platform, WARC-Date = when
             it was captured;
  metadata   per item version, WARC-Concurrent-To that resource: what Kanalvakt knows
             of it (kind, author, public-record status, version, SHA-256, log index);
  resource   per fetched media file, at its original address and fetch time;
  resource   per screenshot file (image, PDF), at the address that was shot and the
             time it was taken, with a metadata record of how it was taken.

warcio adds block and payload digests (SHA-256), so ``warcio check`` verifies every
record. Files are written beside the target and renamed into place: a failed export
never leaves a half-written archive under the requested name.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import timezone
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from kanalvakt.archive.integrity_models import LogLeaf
from kanalvakt.archive.models import Item, ItemVersion, Media
from kanalvakt.public.municipality import municipality_context
from kanalvakt.registry.models import Channel
from kanalvakt.screenshots.models import ScreenshotFile

JSON = "application/json"
Day = date | None


class WebArchiveError(ValueError):
    """The export cannot be made as asked (English: shown by the CLI)."""


@dataclass
class WebArchiveSummary:
    path: Path
    items: int = 0
    versions: int = 0
    media: int = 0
    screenshots: int = 0
    missing_files: int = 0  # stored file gone: named in a metadata record instead


def _bounds(date_from: date | None, date_to: date | None):
    if date_from and date_to and date_from > date_to:
        raise WebArchiveError("--from is after --to")
    start = timezone.make_aware(datetime.combine(date_from, time.min)) if date_from else None
    end = (
        timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
        if date_to
        else None
    )
    return start, end


def _in_period(queryset, field: str, start, end):
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset


def _warc_date(moment: datetime | None) -> str:
    # warcio wants a naive UTC time (an aware one comes out as "…+00:00Z").
    naive = (moment or timezone.now()).astimezone(UTC).replace(tzinfo=None)
    return datetime_to_iso_date(naive, use_micros=True)


def _item_uri(item: Item) -> str:
    # The platform's permalink; an item without one (a direct message) gets a stable URN.
    return item.url or f"urn:kanalvakt:item:{item.platform}:{item.external_id}"


class _Writer:
    def __init__(self, handle):
        self.warc = WARCWriter(handle, gzip=True, warc_version="1.1")

    def write(self, uri, record_type, payload: bytes | io.IOBase, length, content_type, headers):
        stream = io.BytesIO(payload) if isinstance(payload, bytes) else payload
        record = self.warc.create_warc_record(
            uri,
            record_type,
            payload=stream,
            length=length,
            warc_content_type=content_type,
            warc_headers_dict=headers,
        )
        self.warc.write_record(record)
        return record.rec_headers.get_header("WARC-Record-ID")

    def json(self, uri, record_type, document: dict, headers):
        data = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode()
        return self.write(uri, record_type, data, len(data), JSON, headers)


def _warcinfo(writer: _Writer, filename: str, channel: Channel, start, end) -> None:
    town = municipality_context()
    info = {
        "software": f"Kanalvakt {importlib.metadata.version('kanalvakt')}",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "operator": town["municipality_name"],
        "isPartOf": f"{town['municipality_name']}: {channel.display_name}",
        "description": (
            f"Archived social media account {channel.display_name} ({channel.platform.name}) "
            f"of {town['municipality_name']}, captured by Kanalvakt."
        ),
        "channel": str(channel.pk),
        "platform": channel.platform.key,
        "period-from": start.date().isoformat() if start else "",
        "period-to": (end - timedelta(days=1)).date().isoformat() if end else "",
        "website": town["municipality_website"],
    }
    record = writer.warc.create_warcinfo_record(filename, {k: v for k, v in info.items() if v})
    writer.warc.write_record(record)


def _write_items(writer: _Writer, channel: Channel, start, end, summary) -> None:
    items = _in_period(Item.objects.filter(channel=channel), "created_on_platform_at", start, end)
    versions = (
        ItemVersion.objects.filter(item__in=items)
        .select_related("item")
        .order_by("item__created_on_platform_at", "item_id", "number")
    )
    leaf_index = dict(
        LogLeaf.objects.filter(
            kind="item_version", record_pk__in=versions.values("pk")
        ).values_list("record_pk", "index")
    )
    seen_items = set()
    for version in versions.iterator(chunk_size=500):
        item = version.item
        seen_items.add(item.pk)
        uri = _item_uri(item)
        date_header = {"WARC-Date": _warc_date(version.captured_at)}
        payload = version.raw_json.encode("utf-8")
        record_id = writer.write(uri, "resource", payload, len(payload), JSON, date_header)
        writer.json(
            uri,
            "metadata",
            {
                "author_display_name": item.author_display_name,
                "author_is_municipality": item.author_is_owner,
                "deleted_on_platform": version.deleted,
                "item": item.pk,
                "kind": item.kind,
                "log_index": leaf_index.get(version.pk),
                "parent": item.parent_external_id or None,
                "platform_id": item.external_id,
                "public_record_since": item.public_record_since.isoformat(),
                "public_record_status": item.public_record_status,
                "sha256": version.sha256,
                "source": version.source,
                "text": version.text_plain or version.text,
                "version": version.number,
            },
            {**date_header, "WARC-Concurrent-To": record_id},
        )
        summary.versions += 1
    summary.items = len(seen_items)
    media = Media.objects.filter(item__in=items).exclude(sha256="").order_by("pk")
    for file in media.iterator(chunk_size=500):
        headers = {"WARC-Date": _warc_date(file.fetched_at)}
        mime = file.mime_type or "application/octet-stream"
        if _write_stored_file(writer, file.source_url, file.file, file.size, mime, headers):
            summary.media += 1
        else:
            summary.missing_files += 1


def _write_stored_file(writer, uri, name, size, content_type, headers) -> bool:
    try:
        handle = default_storage.open(name, "rb") if name else None
    except FileNotFoundError:
        handle = None
    if handle is None:
        writer.json(uri, "metadata", {"missing_file": name or None}, headers)
        return False
    with handle:
        length = size if size is not None else default_storage.size(name)
        writer.write(uri, "resource", handle, length, content_type, headers)
    return True


def _write_screenshots(writer: _Writer, channel: Channel, start, end, summary) -> None:
    files = _in_period(
        ScreenshotFile.objects.filter(screenshot__channel=channel),
        "screenshot__taken_at",
        start,
        end,
    ).select_related("screenshot")
    for stored in files.order_by("screenshot__taken_at", "pk"):
        shot = stored.screenshot
        headers = {"WARC-Date": _warc_date(shot.taken_at)}
        if _write_stored_file(
            writer, shot.url, stored.name, stored.size, stored.content_type, headers
        ):
            summary.screenshots += 1
        else:
            summary.missing_files += 1
        writer.json(
            shot.url,
            "metadata",
            {
                "final_url": shot.final_url or None,
                "http_status": shot.http_status,
                "kind": shot.kind,
                "reason": shot.reason,
                "role": stored.role,
                "screenshot": shot.pk,
                "sha256": stored.sha256,
                "source": shot.source,
                "status": shot.status,
                "taken_by": shot.taken_by_label,
                "truncated": shot.truncated,
                "user_agent": shot.user_agent,
                "viewport": [shot.viewport_width, shot.viewport_height],
            },
            headers,
        )


@contextlib.contextmanager
def _replace_when_done(target: Path):
    """A temporary file beside ``target``, renamed onto it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(temporary)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _channel(channel_id: int) -> Channel:
    channel = Channel.objects.select_related("platform").filter(pk=channel_id).first()
    if channel is None:
        raise WebArchiveError(f"no channel with id {channel_id}")
    return channel


def _write_warc_file(path: Path, channel: Channel, start, end, name: str) -> WebArchiveSummary:
    summary = WebArchiveSummary(path)
    with open(path, "wb") as handle:
        writer = _Writer(handle)
        _warcinfo(writer, name, channel, start, end)
        _write_items(writer, channel, start, end, summary)
        _write_screenshots(writer, channel, start, end, summary)
    return summary


def write_warc(
    out: str | os.PathLike,
    channel_id: int,
    date_from: date | None = None,
    date_to: date | None = None,
) -> WebArchiveSummary:
    """Write the channel's items and screenshots of the period as a gzipped WARC."""
    target = Path(out)
    if not target.name.endswith((".warc.gz", ".warc")):
        raise WebArchiveError("the WARC file name must end in .warc.gz")
    channel = _channel(channel_id)
    start, end = _bounds(date_from, date_to)
    with _replace_when_done(target) as temporary:
        summary = _write_warc_file(temporary, channel, start, end, target.name)
    summary.path = target
    return summary


def write_wacz(
    out: str | os.PathLike,
    channel_id: int,
    date_from: date | None = None,
    date_to: date | None = None,
) -> WebArchiveSummary:
    """The same WARC packaged as WACZ (index, pages list, datapackage with digests)."""
    from wacz.main import main as wacz_main

    target = Path(out)
    if target.suffix != ".wacz":
        raise WebArchiveError("the WACZ file name must end in .wacz")
    channel = _channel(channel_id)
    start, end = _bounds(date_from, date_to)
    town = municipality_context()["municipality_name"]
    with tempfile.TemporaryDirectory() as work, _replace_when_done(target) as temporary:
        warc = Path(work) / f"kanalvakt-channel-{channel.pk}.warc.gz"
        summary = _write_warc_file(warc, channel, start, end, warc.name)
        pages = Path(work) / "pages.jsonl"
        _write_pages(pages, channel, start, end)
        arguments = [
            "create", "-o", str(temporary), "--copy-pages", "-p", str(pages), "--hash-type",
            "sha256", "--title", f"{town}: {channel.display_name}",
            "--desc", f"Kanalvakt web archive of {channel.display_name} ({channel.platform.name})",
            str(warc),
        ]  # fmt: skip
        with contextlib.redirect_stdout(io.StringIO()) as said:
            status = wacz_main(arguments)
        if status:
            raise WebArchiveError(f"wacz create failed: {said.getvalue().strip()[-500:]}")
    summary.path = target
    return summary


def _write_pages(path: Path, channel: Channel, start, end) -> None:
    """pages.jsonl: one page per item with a permalink (what a replay tool lists)."""
    items = _in_period(Item.objects.filter(channel=channel), "created_on_platform_at", start, end)
    with open(path, "w", encoding="utf-8") as out:
        header = {"format": "json-pages-1.0", "id": "pages", "title": channel.display_name}
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for item in items.exclude(url="").order_by("created_on_platform_at", "pk").iterator():
            title = (item.title or item.display_text)[:100]
            page = {"url": item.url, "ts": _warc_date(item.captured_at), "title": title}
            out.write(json.dumps(page, ensure_ascii=False) + "\n")
