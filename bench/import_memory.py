"""Peak memory and throughput of the streaming export importers.

Generates, in a temporary directory, an X archive (data/tweets.js + account.js)
and a Mastodon outbox.json with N items each (default 200,000), then imports
each in a fresh child process that only counts the results, and reports the
child's peak RSS (whole process, ru_maxrss) and items per second.

    uv run python bench/import_memory.py [--items 200000]

Target: peak RSS under 300 MB per import, whatever N.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ACCOUNT_ID = "1964312974236991488"
ACTOR = "https://mastodon.example/users/osbykommun"
TEXT = "Utomhusbadet i Osby öppnar den 1 juni – välkomna! Läs mer på https://www.osby.se/bad #{n}"


def write_x_archive(root: Path, count: int) -> Path:
    data = root / "x" / "data"
    data.mkdir(parents=True)
    (data / "account.js").write_text(
        "window.YTD.account.part0 = "
        + json.dumps([{"account": {"accountId": ACCOUNT_ID, "username": "osbykommun"}}]),
        encoding="utf-8",
    )
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with (data / "tweets.js").open("w", encoding="utf-8") as out:
        out.write("window.YTD.tweets.part0 = [\n")
        for n in range(count):
            tweet_id = str(1_300_000_000_000_000_000 + n)
            when = (start + timedelta(minutes=n)).strftime("%a %b %d %H:%M:%S +0000 %Y")
            tweet = {
                "edit_info": {"initial": {"editTweetIds": [tweet_id]}},
                "retweeted": False,
                "entities": {"hashtags": [], "user_mentions": [], "urls": []},
                "id_str": tweet_id,
                "id": tweet_id,
                "created_at": when,
                "full_text": TEXT.format(n=n),
                "lang": "sv",
                **({"in_reply_to_status_id_str": str(int(tweet_id) - 1)} if n % 3 else {}),
            }
            out.write(("," if n else "") + json.dumps({"tweet": tweet}, ensure_ascii=False) + "\n")
        out.write("]\n")
    return root / "x"


def write_mastodon_outbox(root: Path, count: int) -> Path:
    folder = root / "mastodon"
    folder.mkdir()
    (folder / "actor.json").write_text(
        json.dumps({"id": ACTOR, "preferredUsername": "osbykommun"}), encoding="utf-8"
    )
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with (folder / "outbox.json").open("w", encoding="utf-8") as out:
        out.write(f'{{"type": "OrderedCollection", "totalItems": {count}, "orderedItems": [\n')
        for n in range(count):
            status = f"{ACTOR}/statuses/{110_000_000_000_000_000 + n}"
            when = (start + timedelta(minutes=n)).isoformat().replace("+00:00", "Z")
            activity = {
                "id": f"{status}/activity",
                "type": "Create",
                "actor": ACTOR,
                "published": when,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [f"{ACTOR}/followers"],
                "object": {
                    "id": status,
                    "type": "Note",
                    "inReplyTo": None,
                    "published": when,
                    "attributedTo": ACTOR,
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                    "cc": [f"{ACTOR}/followers"],
                    "content": "<p>" + TEXT.format(n=n) + "</p>",
                    "contentMap": {"sv": "<p>" + TEXT.format(n=n) + "</p>"},
                    "attachment": [],
                },
            }
            out.write(("," if n else "") + json.dumps(activity, ensure_ascii=False) + "\n")
        out.write("]}\n")
    return folder


def run_import(kind: str, path: str) -> None:
    """Child process: import, count, print one JSON line of figures."""
    from kanalvakt.capture.importers import mastodon_archive, x_archive
    from kanalvakt.capture.types import CapturedItem, ChannelIdentity

    if kind == "x":
        importer, identity = x_archive, ChannelIdentity("x", ACCOUNT_ID, "osbykommun")
    else:
        importer = mastodon_archive
        identity = ChannelIdentity("mastodon", "109000", "osbykommun@mastodon.example")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    items = others = 0
    for result in importer.iter_import(path, identity):
        if isinstance(result, CapturedItem):
            result.content_hash()  # what the upsert will do per item
            items += 1
        else:
            others += 1
    elapsed = time.perf_counter() - began
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "kind": kind,
                "items": items,
                "other_results": others,
                "seconds": round(elapsed, 2),
                "items_per_second": round(items / elapsed),
                "baseline_rss_mb": round(baseline / 1024, 1),
                "peak_rss_mb": round(peak_kib / 1024, 1),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_import(*args.child)
        return 0
    failed = False
    with tempfile.TemporaryDirectory(prefix="kanalvakt-bench-") as tmp:
        root = Path(tmp)
        sources = {
            "x": write_x_archive(root, args.items),
            "mastodon": write_mastodon_outbox(root, args.items),
        }
        for kind, path in sources.items():
            size_mb = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20
            done = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            figures["file_mb"] = round(size_mb, 1)
            print(json.dumps(figures))
            ok = figures["items"] == args.items and figures["peak_rss_mb"] < 300
            failed = failed or not ok
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
