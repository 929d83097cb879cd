"""LinkedIn data export (``Shares.csv`` and ``Comments.csv``), from a
directory or .zip.

Columns (LinkedIn's member data export):

- Shares.csv: ``Date, ShareLink, ShareCommentary, SharedUrl, MediaUrl, Visibility``
- Comments.csv: ``Date, Link, Message``

Dates are UTC ``YYYY-MM-DD HH:MM:SS``. The item id is the URN in the link
(``urn:li:share:…`` / ``urn:li:activity:…``; for a comment the
``commentUrn``), which is what the LinkedIn API uses too. Everything in the
export was written by the account. Rows are read one at a time.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from kanalvakt.capture.importers._files import ExportArchive
from kanalvakt.capture.normalize._common import MALFORMED, describe, parse_time
from kanalvakt.capture.types import (
    CapturedItem,
    CaptureError,
    CaptureResult,
    ChannelIdentity,
    MediaRef,
)

PLATFORM = "linkedin"


def iter_import(path: str | Path, identity: ChannelIdentity) -> Iterator[CaptureResult]:
    # Post texts can be long; the csv default limit (128 KiB) is not a safe cap.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    archive = ExportArchive(path)
    for name in archive.find("Shares.csv"):
        for row in _rows(archive, name):
            yield _guard(row, lambda r: _share(r, identity))
    for name in archive.find("Comments.csv"):
        for row in _rows(archive, name):
            yield _guard(row, lambda r: _comment(r, identity))


def _rows(archive: ExportArchive, name: str) -> Iterator[dict[str, str]]:
    with archive.open(name) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        yield from csv.DictReader(text)


def _guard(row: dict[str, str], convert: object) -> CaptureResult:
    try:
        return convert(row)  # type: ignore[operator]
    except MALFORMED as exc:
        return CaptureError(PLATFORM, None, describe(exc), dict(row))


def _share(row: dict[str, str], identity: ChannelIdentity) -> CapturedItem:
    link = row["ShareLink"]
    media_url = (row.get("MediaUrl") or "").strip()
    return CapturedItem(
        platform=PLATFORM,
        external_id=_urn(link),
        kind="post",
        parent_external_id=None,
        root_external_id=_urn(link),
        author_external_id=identity.account_id,
        author_display_name=None,
        author_handle=identity.handle,
        author_is_owner=True,
        text=row.get("ShareCommentary") or "",
        created_at=parse_time(row["Date"]),
        url=link or None,
        media=(MediaRef(media_url),) if media_url else (),
        raw=dict(row),
    )


def _comment(row: dict[str, str], identity: ChannelIdentity) -> CapturedItem:
    link = row["Link"]
    query = parse_qs(urlsplit(link).query)
    comment_urn = (query.get("commentUrn") or [None])[0]
    if not comment_urn:
        raise ValueError("comment link without commentUrn")
    post_urn = _urn(link)
    return CapturedItem(
        platform=PLATFORM,
        external_id=comment_urn,
        kind="comment",
        parent_external_id=post_urn,
        root_external_id=post_urn,
        author_external_id=identity.account_id,
        author_display_name=None,
        author_handle=identity.handle,
        author_is_owner=True,
        text=row.get("Message") or "",
        created_at=parse_time(row["Date"]),
        url=link,
        raw=dict(row),
    )


def _urn(link: str) -> str:
    """``urn:li:…`` from https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A123/"""
    path = unquote(urlsplit(link).path)
    for segment in path.split("/"):
        if segment.startswith("urn:li:"):
            return segment
    raise ValueError(f"no urn:li: id in link {link!r}")
