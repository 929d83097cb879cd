"""Scale check of the disposal proposal (run by hand, not part of the suite):
BENCH_ITEMS=200000 BENCH_THREAD=100 uv run pytest tests/records/bench_retention_scale.py -s"""

import os
import time

import pytest
from django.db import connection

from kanalvakt.organisation.access import SystemActor
from kanalvakt.records.retention import propose_run
from registry.helpers import make_channel


@pytest.mark.django_db
def test_proposal_scale():
    n = int(os.environ.get("BENCH_ITEMS", "100000"))
    k = int(os.environ.get("BENCH_THREAD", "100"))
    channel = make_channel(platform="facebook", handle="osby.bench")
    pg = connection.vendor == "postgresql"
    series = (
        "generate_series(1, %s) AS g"
        if pg
        else (
            "(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %s) "
            "SELECT g FROM s) AS s"
        )
    )
    day = "make_interval(days => (g / %s))" if pg else None
    created = (
        f"TIMESTAMPTZ '2020-01-01' + {day}"
        if pg
        else "datetime('2020-01-01', '+' || (g / %s) || ' days')"
    )
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO archive_item (id, channel_id, platform, external_id, kind,
            parent_external_id, root_external_id, root_id, author_external_id,
            author_display_name, author_handle, author_is_owner, public_record_status,
            public_record_since, text, text_plain, title, language, url,
            created_on_platform_at, captured_at, hidden_on_platform, last_seen_at,
            content_hash, version_count)
            SELECT g, %s, 'facebook', 'b' || g,
              CASE WHEN (g - 1) %% {k} = 0 THEN 'post' ELSE 'comment' END, '', '',
              ((g - 1) / {k}) * {k} + 1, 'u', 'Anna', '',
              (g - 1) %% {k} = 0, 'received', {created}, 'text ' || g, '', '', '', '',
              {created}, {created}, false, {created}, 'h', 1
            FROM {series}""",  # noqa: S608 - constants only
            [channel.pk, k, k, k, k, n],
        )
        if pg:
            cursor.execute("SELECT setval('archive_item_id_seq', %s)", [n])
            cursor.execute("ANALYZE archive_item")
    print(f"\n{n} items in threads of {k}: inserted in {time.perf_counter() - start:.1f}s")
    start = time.perf_counter()
    run = propose_run(SystemActor("bench"))
    print(
        f"proposal: {run.candidate_count} candidates in {time.perf_counter() - start:.1f}s "
        f"({connection.vendor})"
    )
    if os.environ.get("BENCH_EXECUTE"):
        from kanalvakt.records.disposal import execute
        from kanalvakt.records.retention_models import DisposalRun

        DisposalRun.objects.filter(pk=run.pk).update(state=DisposalRun.State.APPROVED)
        start = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            run = profile.runcall(execute, run.pk)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        else:
            run = execute(run.pk)
        seconds = time.perf_counter() - start
        print(
            f"execution: {run.disposed_count} disposed in {seconds:.1f}s "
            f"({run.disposed_count / seconds:.0f} items/s)"
        )
