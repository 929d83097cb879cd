"""Disposal under retention rules (R7.1): the monthly proposal, and carrying a run out.

    uv run python bench/retention_disposal.py [--items 1000000] [--thread 100] [--execute]
        [--database-url postgres://postgres@127.0.0.1:5432/EMPTY_SCRATCH_DB]

Items are inserted with one INSERT … SELECT into a throw-away data directory (file SQLite,
or an empty scratch PostgreSQL database): threads of ``--thread`` items (a post and its
comments), a new thread every item id step, created one day apart per thread, all received
third-party comments or own posts. Then ``propose_run`` (one INSERT … SELECT with a window
function) and, with ``--execute``, the approved run carried out in batches.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(database_url: str | None) -> str:
    var = tempfile.mkdtemp(prefix="kv-bench-retention-")
    os.environ.update(
        KANALVAKT_VAR_DIR=var,
        DATABASE_URL=database_url or "",
        DJANGO_SETTINGS_MODULE="kanalvakt.conf.test",
    )
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return var


def fill(count: int, thread: int) -> None:
    from django.db import connection

    from registry.helpers import make_channel

    channel = make_channel(platform="facebook", handle="osby.bench")
    postgres = connection.vendor == "postgresql"
    if postgres:
        series = "generate_series(1, %s) AS g"
        created = f"TIMESTAMPTZ '2020-01-01' + make_interval(days => (g / {thread}))"
    else:
        series = (
            "(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %s) "
            "SELECT g FROM s) AS s"
        )
        created = f"datetime('2020-01-01', '+' || (g / {thread}) || ' days')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO archive_item (id, channel_id, platform, external_id, kind,
            parent_external_id, root_external_id, root_id, author_external_id,
            author_display_name, author_handle, author_is_owner, public_record_status,
            public_record_since, text, text_plain, title, language, url,
            created_on_platform_at, captured_at, hidden_on_platform, last_seen_at,
            content_hash, version_count)
            SELECT g, %s, 'facebook', 'b' || g,
              CASE WHEN (g - 1) %% {thread} = 0 THEN 'post' ELSE 'comment' END, '', '',
              ((g - 1) / {thread}) * {thread} + 1, 'u', 'Anna', '',
              (g - 1) %% {thread} = 0, 'received', {created}, 'text ' || g, '', '', '', '',
              {created}, {created}, false, {created}, 'h', 1
            FROM {series}""",  # only integers from the command line are formatted in
            [channel.pk, count],
        )
        if postgres:
            cursor.execute("SELECT setval('archive_item_id_seq', %s)", [count])
            cursor.execute("ANALYZE archive_item")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--thread", type=int, default=100, help="items per thread")
    parser.add_argument("--execute", action="store_true", help="also carry the run out")
    parser.add_argument("--database-url", help="an empty scratch PostgreSQL database")
    args = parser.parse_args()
    var = setup(args.database_url)
    try:
        from django.db import connection

        from kanalvakt.organisation.access import SystemActor
        from kanalvakt.records.retention import propose_run

        started = time.perf_counter()
        fill(args.items, args.thread)
        print(f"{args.items} items in threads of {args.thread}: inserted in "
              f"{time.perf_counter() - started:.1f} s ({connection.vendor})")  # fmt: skip
        started = time.perf_counter()
        run = propose_run(SystemActor("bench"))
        seconds = time.perf_counter() - started
        print(f"proposal: {run.candidate_count} candidates in {seconds:.1f} s")
        if args.execute:
            from kanalvakt.records.disposal import execute
            from kanalvakt.records.retention_models import DisposalRun

            DisposalRun.objects.filter(pk=run.pk).update(state=DisposalRun.State.APPROVED)
            started = time.perf_counter()
            run = execute(run.pk)
            seconds = time.perf_counter() - started
            print(f"execution: {run.disposed_count} disposed in {seconds:.1f} s "
                  f"({run.disposed_count / seconds:,.0f} items/s)")  # fmt: skip
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
