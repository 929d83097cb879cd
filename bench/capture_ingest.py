"""Ingest speed: recorded Graph API comment pages → normalise → upsert → version → hand to
screening (the items_captured signal, with one receiver), on one core.

The recorded comments (tests/capture/fixtures/facebook/comments_p*.json) are repeated with
fresh comment ids in pages of 100, as the connector receives them, and ingested in batches
of 500 into a throw-away database: file SQLite in a temporary data directory, or with
``--database-url`` a scratch PostgreSQL database (created and dropped).

    uv run python bench/capture_ingest.py [--items 50000]
    uv run python bench/capture_ingest.py --database-url postgres://postgres@127.0.0.1:5432/kv_bench

Three passes: first capture (all new), refetch (all unchanged), refetch with every text
edited (all new versions). Target: ≥ 2,000 items/s.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests/capture/fixtures/facebook"
PAGE_ID = "19292868552"
POST = f"{PAGE_ID}_10158407654328553"


def recorded_comments() -> list[dict]:
    comments = []
    for name in ("comments_p1.json", "comments_p2.json"):
        comments += json.loads((FIXTURES / name).read_text("utf-8"))["data"]
    return comments


def pages(count: int, edit: str = "") -> list[dict]:
    """Graph comment pages with ``count`` distinct comments built from the recorded ones."""
    base = recorded_comments()
    out, data = [], []
    for i in range(count):
        raw = copy.deepcopy(base[i % len(base)])
        comment_id = f"{10**15 + i}"
        raw["permalink_url"] = (
            f"https://www.facebook.com/{PAGE_ID}/posts/10158407654328553/?comment_id={comment_id}"
        )
        raw["message"] = raw.get("message", "") + edit
        data.append(raw)
        if len(data) == 100:
            out.append({"data": data})
            data = []
    if data:
        out.append({"data": data})
    return out


def setup(database_url: str | None) -> None:
    os.environ["KANALVAKT_VAR_DIR"] = tempfile.mkdtemp(prefix="kv-bench-capture-")
    os.environ["DATABASE_URL"] = database_url or ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "kanalvakt.conf.test"
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_channel():
    from registry.helpers import make_channel as build

    return build(platform="facebook", handle="benchpage.osby")


def run_pass(channel, payloads, label: str, screened: list) -> float:
    from kanalvakt.archive.ingest import ingest
    from kanalvakt.capture.normalize import facebook
    from kanalvakt.capture.types import ChannelIdentity

    identity = ChannelIdentity("facebook", PAGE_ID, "benchpage.osby")
    count = sum(len(p["data"]) for p in payloads)
    screened.clear()
    start = time.perf_counter()

    def stream():
        for payload in payloads:
            yield from facebook.items_from_comments_page(payload, identity, post_external_id=POST)

    report = ingest(channel, stream(), source="poll")
    elapsed = time.perf_counter() - start
    rate = count / elapsed
    print(
        f"{label:<28} {count:>7} items {elapsed:7.2f} s {rate:9,.0f} items/s  "
        f"(added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"screened {sum(screened)})"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--database-url", help="postgres://…/NAME (created and dropped)")
    args = parser.parse_args()
    admin = None
    if args.database_url:
        import psycopg

        admin, name = args.database_url.rsplit("/", 1)
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        setup(args.database_url)
        from django.db import connection

        from kanalvakt.archive.signals import items_captured

        screened: list[int] = []

        def screening(sender, item_ids, **kwargs):
            screened.append(len(item_ids))

        items_captured.connect(screening)
        channel = make_channel()
        print(f"database: {connection.vendor}; items: {args.items}; batch 500")
        first = run_pass(channel, pages(args.items), "first capture (insert)", screened)
        again = run_pass(channel, pages(args.items), "refetch, unchanged", screened)
        edited = run_pass(channel, pages(args.items, " (ändrad)"), "refetch, all edited", screened)
        print(f"slowest pass: {min(first, again, edited):,.0f} items/s (target ≥ 2,000)")
        connection.close()
    finally:
        if admin:
            import psycopg

            with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
