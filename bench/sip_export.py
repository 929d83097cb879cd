"""E-archive package (E-ARK SIP) of 100,000 items: time and peak memory of the export.

Data: posts with 10–50 comments each (seeded; every fifth comment a reply), one version per
item with a ~400-byte raw payload, all logged in the integrity log under a signed head,
in a throw-away data directory (file SQLite, or ``--database-url`` naming an empty
scratch PostgreSQL database).

The export runs as the real CLI in a subprocess whose RSS is sampled every 50 ms; then
``kanalvakt archive verify-export`` checks the package. Target: ≤ 60 s, ≤ 300 MB.

    uv run python bench/sip_export.py [--items 100000] [--reuse DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def setup(database_url: str | None, reuse: str | None = None) -> dict:
    var = reuse or tempfile.mkdtemp(prefix="kv-bench-sip-")
    env = {
        "KANALVAKT_VAR_DIR": var,
        "DATABASE_URL": database_url or "",
        "DJANGO_SETTINGS_MODULE": "kanalvakt.conf.test",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return env


def fill(count: int, seed: int = 7) -> tuple[int, int, list[int]]:
    """Threads of one post and 10–50 comments; returns (channel id, threads, sizes)."""
    from kanalvakt.archive.models import (
        Item,
        ItemVersion,
        PublicRecordStatus,
        canonical_version_bytes,
        sha256_hex,
    )
    from registry.helpers import make_channel

    rng = random.Random(seed)
    channel = make_channel(platform="facebook", handle="bench.sip")
    sizes, made = [], 0
    while made < count:
        size = min(count - made, 1 + rng.randint(10, 50))
        sizes.append(size)
        made += size
    words = ["kommunen", "vägarbete", "skolan", "biblioteket", "öppettider", "tack", "fråga"]
    n = 0

    def item(kind, when, text, owner, root=None, parent=None):
        nonlocal n
        n += 1
        return Item(
            channel=channel, platform="facebook", external_id=f"b_{n}", kind=kind,
            # A reply's parent is a comment of the same batch, not saved yet: the
            # foreign key points at the post, the external id at the comment.
            root=root, parent=root, root_external_id=root.external_id if root else "",
            parent_external_id=parent.external_id if parent else "",
            author_external_id="111" if owner else f"u{n % 997}",
            author_display_name="Osby kommun" if owner else f"Invånare {n % 997}",
            author_is_owner=owner,
            public_record_status=PublicRecordStatus.DRAWN_UP if owner
            else PublicRecordStatus.RECEIVED,
            public_record_since=when, text=text, text_plain=text,
            created_on_platform_at=when, captured_at=when, last_seen_at=when,
            content_hash="0" * 64,
        )  # fmt: skip

    def sentence(length):
        return " ".join(rng.choice(words) for _ in range(length)).capitalize() + "."

    for batch_start in range(0, len(sizes), 200):
        batch = sizes[batch_start : batch_start + 200]
        posts = []
        for offset, _ in enumerate(batch):
            when = T0 + timedelta(hours=batch_start + offset)
            posts.append(item("post", when, sentence(40), True))
        Item.objects.bulk_create(posts)
        comments = []
        for post, size in zip(posts, batch, strict=True):
            previous = post
            for c in range(size - 1):
                when = post.created_on_platform_at + timedelta(minutes=c + 1)
                reply = c % 5 == 4
                comments.append(
                    item("reply" if reply else "comment", when, sentence(rng.randint(5, 45)),
                         False, root=post, parent=previous if reply else post)
                )  # fmt: skip
                previous = comments[-1] if not reply else previous
        Item.objects.bulk_create(comments, batch_size=2000)
        versions = []
        for row in posts + comments:
            raw = json.dumps(
                {"id": row.external_id, "message": row.text, "from": {"id": row.author_external_id,
                 "name": row.author_display_name}, "created_time": row.created_on_platform_at
                 .isoformat(), "permalink_url": f"https://facebook.com/{row.external_id}"},
                ensure_ascii=False,
            )  # fmt: skip
            data = canonical_version_bytes(
                "facebook", row.external_id, 1, row.text, "", None, False, [], raw
            )
            versions.append(
                ItemVersion(
                    item=row, number=1, content_hash="0" * 64, sha256=sha256_hex(data),
                    text=row.text, text_plain=row.text, raw_json=raw, source="bench",
                    captured_at=row.captured_at,
                )
            )  # fmt: skip
        ItemVersion.objects.bulk_create(versions, batch_size=2000)
    from kanalvakt.archive import integrity

    integrity.append_pending()
    integrity.sign_current_head()
    return channel.pk, len(sizes), sizes


def _tree_rss(pid: int) -> int:
    """RSS in bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def run_cli(args: list[str], env: dict) -> dict:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "kanalvakt.cli", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}): {err[-2000:]}")
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak / 2**20), "out": out.strip()}


def package_size(path: Path) -> dict:
    files = [p for p in path.rglob("*") if p.is_file()]
    return {"files": len(files), "mb": round(sum(p.stat().st_size for p in files) / 2**20)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--database-url")
    parser.add_argument("--reuse", help="data directory of an earlier --keep run")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    env = setup(args.database_url, args.reuse)
    started = time.perf_counter()
    if args.reuse:
        from kanalvakt.registry.models import Channel

        channel_id = Channel.objects.get(handle_key="bench.sip").pk
        shutil.rmtree(Path(args.reuse) / "out", ignore_errors=True)
    else:
        channel_id, threads, sizes = fill(args.items)
        print(
            f"data: {args.items} items in {threads} threads (size {min(sizes)}–{max(sizes)}, "
            f"mean {sum(sizes) / len(sizes):.1f}); filled in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
    period = ["--channel", str(channel_id), "--from", "2025-12-31", "--to", "2027-01-01"]
    out_dir = Path(env["KANALVAKT_VAR_DIR"]) / "out"
    out_dir.mkdir()
    results = {}
    try:
        results["export"] = run_cli(["export", "sip", *period, str(out_dir / "sip")], env)
        results["export"].update(package_size(out_dir / "sip"))
        results["verify"] = run_cli(["archive", "verify-export", str(out_dir / "sip")], env)
        results["verify"]["out"] = results["verify"]["out"].splitlines()[-1]
    finally:
        for phase, figures in results.items():
            print(f"{phase}: {json.dumps(figures, ensure_ascii=False)}")
        if args.database_url:
            from django.db import connections

            connections.close_all()
        if args.keep:
            print(f"data kept: --reuse {env['KANALVAKT_VAR_DIR']}")
        elif not args.reuse:
            shutil.rmtree(env["KANALVAKT_VAR_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
