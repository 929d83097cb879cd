"""Archive search speed: N items in a throw-away database, then one- and two-word
queries with and without a channel filter (public rules applied, first page of 20).

    uv run python bench/archive_search.py [--items 200000]
    uv run python bench/archive_search.py --database-url postgres://postgres@127.0.0.1:5432/kv_bench_search

Target: p95 ≤ 50 ms at 1,000,000 items. ``--keep`` leaves the data directory for wrk.
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


def setup(database_url: str | None) -> None:
    os.environ["KANALVAKT_VAR_DIR"] = tempfile.mkdtemp(prefix="kv-bench-search-")
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


def measure(label: str, run, repeats: int) -> None:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{label:55s} median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--database-url")
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection

    from kanalvakt.archive.search import SearchFilters, search

    started = time.perf_counter()
    channel_ids = fill(args.items)
    print(f"{connection.vendor}: filled and indexed {args.items} items in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"data directory: {os.environ['KANALVAKT_VAR_DIR']}")
    rng = random.Random(2)
    for query in QUERIES:
        measure(f"{query!r}", lambda q=query: search(q), args.repeats)
        measure(
            f"{query!r} + channel",
            lambda q=query: search(q, SearchFilters(channel_ids=[rng.choice(channel_ids)])),
            args.repeats,
        )
    measure("bare: newest 20", lambda: search(""), args.repeats)


if __name__ == "__main__":
    main()
