"""Archive search speed: N items in a throw-away database, then one- and two-word
queries with and without a channel filter (public rules applied, first page of 20).

    uv run python bench/archive_search.py [--items 200000]
    uv run python bench/archive_search.py --database-url postgres://postgres@127.0.0.1:5432/kv_bench_search

Target: p95 ≤ 50 ms at 1,000,000 items. Each query is also timed as the engine's own
minimal SQL for the same page (FTS5 MATCH / tsvector @@ with ORDER BY … LIMIT, no public
rules, no loading of items), so Kanalvakt's own overhead shows. The data directory is kept
for the public page load test (bench/public_search_load.py).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "kommun",
    "skola",
    "förskola",
    "badplats",
    "vägarbete",
    "snöröjning",
    "bibliotek",
    "idrottshall",
    "simhall",
    "kommentar",
    "kommentarer",
    "evenemang",
    "konsert",
    "öppettider",
    "sommarlov",
    "fritidsgård",
    "renhållning",
    "vatten",
    "avlopp",
    "bygglov",
    "detaljplan",
    "äldreomsorg",
    "hemtjänst",
    "kollektivtrafik",
    "buss",
    "tåg",
    "cykel",
    "Osby",
    "Lönsboda",
    "Killeberg",
    "Hökön",
    "Visseltofta",
    "Örkened",
    "marknad",
    "julmarknad",
    "midsommar",
]
QUERIES = ["badplats", "kommentaren", "snöröjning Lönsboda", "bibliotek öppettider", "tåg"]


def setup(database_url: str | None, data_dir: str | None) -> None:
    os.environ["KANALVAKT_VAR_DIR"] = data_dir or tempfile.mkdtemp(prefix="kv-bench-search-")
    os.environ["DATABASE_URL"] = database_url or ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "kanalvakt.conf.test"
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fill(count: int, channels: int = 20) -> list[int]:
    from kanalvakt.archive.models import Item, PublicRecordStatus
    from kanalvakt.archive.search import index_items
    from registry.helpers import make_channel

    rng = random.Random(1)
    channel_ids = [
        make_channel(platform="facebook", handle=f"bench.{n}").pk for n in range(channels)
    ]
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    for start in range(0, count, 10_000):
        items = []
        for n in range(start, min(count, start + 10_000)):
            when = t0 + timedelta(minutes=n)
            text = " ".join(rng.choices(WORDS, k=rng.randint(6, 30)))
            items.append(
                Item(
                    channel_id=rng.choice(channel_ids), platform="facebook",
                    external_id=f"s_{n}", kind="post",
                    public_record_status=PublicRecordStatus.DRAWN_UP, public_record_since=when,
                    text=text, created_on_platform_at=when, captured_at=when,
                    last_seen_at=when, content_hash="0" * 64,
                )
            )  # fmt: skip
        created = Item.objects.bulk_create(items, batch_size=2000)
        ids = [i.pk for i in created if i.pk] or list(
            Item.objects.filter(external_id__in=[i.external_id for i in items]).values_list(
                "pk", flat=True
            )
        )
        index_items(ids)
    return channel_ids


def measure(run, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def engine_query(query: str, channel_id: int | None):
    """The engine's own minimal SQL for the first page of the same search."""
    from django.db import connection

    from kanalvakt.archive.search import fts_match
    from kanalvakt.archive.search_text import query_stems

    stems = query_stems(query)
    if connection.vendor == "sqlite":
        match = fts_match(stems, [[f"c{channel_id}"]] if channel_id else [])
        sql = (
            "SELECT rowid FROM archive_search_fts WHERE archive_search_fts MATCH %s "
            "ORDER BY rowid DESC LIMIT 21"
        )
        params = [match]
    else:
        sql = (
            "SELECT item_id FROM archive_searchentry WHERE to_tsvector('simple'::regconfig, body)"
            " @@ plainto_tsquery('simple', %s)"
        )
        params = [" ".join(stems)]
        if channel_id:
            sql += " AND channel_id_copy = %s"
            params.append(channel_id)
        sql += " ORDER BY sort_key DESC LIMIT 21"

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--database-url")
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument(
        "--reuse", metavar="DATA_DIR", help="measure the items a previous run left (its data "
        "directory; with --database-url, the items already in that database)"
    )  # fmt: skip
    args = parser.parse_args()
    setup(args.database_url, args.reuse)
    from django.db import connection

    from kanalvakt.archive.models import Item
    from kanalvakt.archive.search import SearchFilters, search

    if args.reuse:
        channel_ids = sorted(set(Item.objects.values_list("channel_id", flat=True)[:10_000]))
        print(f"{connection.vendor}: {Item.objects.count()} items already there")
    else:
        started = time.perf_counter()
        channel_ids = fill(args.items)
        print(f"{connection.vendor}: filled and indexed {args.items} items in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"data directory: {os.environ['KANALVAKT_VAR_DIR']}")
    rng = random.Random(2)
    print(f"{'query':34s} {'Kanalvakt median/p95':>22s} {'engine SQL median/p95':>24s}")
    for query in QUERIES:
        for with_channel in (False, True):
            channel = rng.choice(channel_ids) if with_channel else None
            filters = SearchFilters(channel_ids=[channel] if channel else [])
            ours = measure(lambda q=query, f=filters: search(q, f), args.repeats)
            engine = measure(engine_query(query, channel), args.repeats)
            label = f"{query!r}{' + channel' if channel else ''}"
            print(f"{label:34s} {ours[0]:9.1f} / {ours[1]:6.1f} ms {engine[0]:11.1f} / "
                  f"{engine[1]:6.1f} ms")  # fmt: skip
    newest = measure(lambda: search(""), args.repeats)
    print(f"{'bare: newest 20':34s} {newest[0]:9.1f} / {newest[1]:6.1f} ms")


if __name__ == "__main__":
    main()
