"""Downloading attachments into Django storage, content-addressed by SHA-256: the same
file attached twice is stored once, and its name proves its content."""

from __future__ import annotations

import hashlib
import tempfile

import httpx
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from kanalvakt.archive.models import Media
from kanalvakt.capture.connectors.http import TIMEOUT, USER_AGENT

MAX_BYTES = 200 * 1024 * 1024
CHUNK = 1024 * 1024


def storage_name(sha256: str) -> str:
    return f"capture/media/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def fetch_pending(limit: int = 100, client: httpx.Client | None = None) -> dict:
    pending = list(Media.objects.filter(fetched_at__isnull=True, fetch_error="")[:limit])
    done = failed = 0
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT})
    try:
        for media in pending:
            try:
                _fetch_one(media, client)
                done += 1
            except (httpx.HTTPError, ValueError, OSError) as exc:
                Media.objects.filter(pk=media.pk).update(
                    fetch_error=f"{type(exc).__name__}: {exc}"[:500]
                )
                failed += 1
    finally:
        if own:
            client.close()
    return {"fetched": done, "failed": failed}


def _fetch_one(media: Media, client: httpx.Client) -> None:
    digest, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
        with client.stream("GET", media.source_url, follow_redirects=True) as response:
            response.raise_for_status()
            mime = response.headers.get("content-type", "").split(";")[0].strip()
            for chunk in response.iter_bytes(CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ValueError(f"larger than {MAX_BYTES} bytes")
                digest.update(chunk)
                spool.write(chunk)
        sha = digest.hexdigest()
        name = storage_name(sha)
        if not default_storage.exists(name):
            spool.seek(0)
            name = default_storage.save(name, File(spool))
    Media.objects.filter(pk=media.pk).update(
        sha256=sha,
        size=size,
        file=name,
        mime_type=(media.mime_type or mime)[:100],
        fetched_at=timezone.now(),
    )
