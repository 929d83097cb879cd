"""Question inbox: render time with many open questions across many channels.

Channels are built through the test workflow helper, items and questions bulk-inserted
into a throw-away database (file SQLite in a temporary data directory, or with
``--database-url`` a scratch PostgreSQL database). Then the inbox is fetched through the
Django test client as a communicator (all channels) and as one account owner, and the
first page, a later page and one channel's filter are timed.

    uv run python bench/dialog_inbox.py [--questions 10000 --channels 200 --runs 20]

Target: ≤ 200 ms per page with 10,000 open questions across 200 channels.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(database_url: str | None) -> None:
    os.environ["KANALVAKT_VAR_DIR"] = tempfile.mkdtemp(prefix="kv-bench-dialog-")
    os.environ["DATABASE_URL"] = database_url or ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "kanalvakt.conf.test"
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fill(questions: int, channel_count: int):
    from kanalvakt.archive.models import Item, PublicRecordStatus
    from kanalvakt.dialog.models import Question
    from registry.helpers import make_channel

    channels = [make_channel(platform="facebook") for _ in range(channel_count)]
    now = datetime.now(UTC)
    items = []
    for n in range(questions):
        when = now - timedelta(minutes=n)
        items.append(
            Item(
                channel=channels[n % channel_count], platform="facebook", external_id=f"q_{n}",
                kind="comment", public_record_status=PublicRecordStatus.RECEIVED,
                public_record_since=when, text=f"Fråga {n}: när öppnar badhuset igen?",
                text_plain=f"Fråga {n}: när öppnar badhuset igen?", created_on_platform_at=when,
                captured_at=when, last_seen_at=when, content_hash="0" * 64,
            )
        )  # fmt: skip
    Item.objects.bulk_create(items, batch_size=2000)
    rows = Item.objects.filter(external_id__startswith="q_").values_list(
        "pk", "channel_id", "created_on_platform_at"
    )
    Question.objects.bulk_create(
        [
            Question(item_id=pk, channel_id=cid, received_at=at, deadline=at + timedelta(days=1))
            for pk, cid, at in rows
        ],
        batch_size=2000,
    )
    return channels


def time_get(client, path: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm caches and templates
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    setup(args.database_url)
    from django.test import Client
    from django.test.utils import setup_test_environment

    from factories import PersonFactory, UserFactory
    from kanalvakt.organisation.roles import Role

    setup_test_environment()
    started = time.perf_counter()
    channels = fill(args.questions, args.channels)
    print(f"filled {args.channels} channels, {args.questions} open questions "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    communicator = UserFactory(roles=[Role.COMMUNICATOR])
    PersonFactory(user=communicator, email=communicator.email)
    client = Client()
    client.force_login(communicator)
    for label, path in (
        ("communicator, first page", "/intern/dialog/"),
        ("communicator, page 100", "/intern/dialog/?sida=100"),
        ("communicator, one channel", f"/intern/dialog/?kanal={channels[7].pk}"),
    ):
        median, p95, queries = time_get(client, path, args.runs)
        print(f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms, {queries} queries")
    owner = UserFactory(roles=[Role.ACCOUNT_OWNER])
    owner_client = Client()
    owner_client.force_login(owner)
    person = PersonFactory(user=owner, email=owner.email)
    for channel in channels[:5]:
        channel.deputies.add(person)
    median, p95, queries = time_get(owner_client, "/intern/dialog/", args.runs)
    print(f"account owner of 5 channels: median {median:.1f} ms, p95 {p95:.1f} ms, "
          f"{queries} queries")  # fmt: skip


if __name__ == "__main__":
    main()
