"""Integrity log over the database: bulk append of ItemVersions, then `archive verify`.

Items and versions are bulk-inserted directly (real canonical bytes and SHA-256, so the
content check passes) into a throw-away database: file SQLite in a temporary data
directory, or with ``--database-url`` a scratch PostgreSQL database (created and dropped).

    uv run python bench/archive_integrity_db.py [--items 100000]
    uv run python bench/archive_integrity_db.py --database-url postgres://postgres@127.0.0.1:5432/kv_bench_integrity

Target: append ≥ 10,000 records/s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(database_url: str | None) -> None:
    os.environ["KANALVAKT_VAR_DIR"] = tempfile.mkdtemp(prefix="kv-bench-integrity-")
    os.environ["DATABASE_URL"] = database_url or ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "kanalvakt.conf.test"
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fill(count: int) -> None:
    from kanalvakt.archive.models import (
        Item,
        ItemVersion,
        PublicRecordStatus,
        canonical_version_bytes,
        sha256_hex,
    )
    from registry.helpers import make_channel

    channel = make_channel(platform="facebook", handle="bench.integrity")
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for start in range(0, count, 10_000):
        items = []
        for n in range(start, min(count, start + 10_000)):
            when = t0 + timedelta(seconds=n)
            items.append(
                Item(
                    channel=channel, platform="facebook", external_id=f"b_{n}", kind="post",
                    public_record_status=PublicRecordStatus.DRAWN_UP, public_record_since=when,
                    text=f"Inlägg {n} om kommunens verksamhet", created_on_platform_at=when,
                    captured_at=when, last_seen_at=when, content_hash="0" * 64,
                )
            )  # fmt: skip
        Item.objects.bulk_create(items, batch_size=2000)
        items = Item.objects.filter(external_id__in=[i.external_id for i in items])
        versions = []
        for item in items:
            raw = json.dumps({"id": item.external_id})
            data = canonical_version_bytes(
                "facebook", item.external_id, 1, item.text, "", None, False, [], raw
            )
            versions.append(
                ItemVersion(
                    item=item, number=1, content_hash="0" * 64, sha256=sha256_hex(data),
                    text=item.text, raw_json=raw, source="bench", captured_at=item.captured_at,
                )
            )  # fmt: skip
        ItemVersion.objects.bulk_create(versions, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup(args.database_url)
    from kanalvakt.archive.integrity import append_pending, sign_current_head, verify_database

    started = time.perf_counter()
    fill(args.items)
    print(f"filled {args.items} items+versions in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    appended = append_pending()
    took = time.perf_counter() - started
    print(f"append: {appended} records in {took:.2f} s = {appended / took:,.0f} records/s")
    sign_current_head()
    for content in (False, True):
        started = time.perf_counter()
        report = verify_database(check_content=content)
        took = time.perf_counter() - started
        label = "verify with content" if content else "verify log only"
        print(f"{label}: {report.records_checked} in {took:.2f} s "
              f"= {report.records_checked / took:,.0f} records/s, ok={report.ok}")  # fmt: skip


if __name__ == "__main__":
    main()
