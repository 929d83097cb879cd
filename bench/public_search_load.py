"""Public archive search under load: /sok/ with words, a channel filter, and record pages.

    uv run python bench/public_search_load.py                    # 200,000 items, 20 clients
    uv run python bench/public_search_load.py --data-dir /tmp/kv-bench-search-XXXX
        # reuse the 1,000,000 items bench/archive_search.py left behind

Builds a throw-away SQLite data directory with N archived items (bench/archive_search.py's
generator), starts `kanalvakt serve --no-worker --no-demo --workers 2` (the shipped gunicorn
configuration) and loads each URL from a second process on loopback with wrk (20
connections; a threaded Python client when wrk is missing). Target (issue): >= 200
requests/s and p95 <= 100 ms per URL. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from directory_load import WRK_SCRIPT, free_port, load_url, run_wrk, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
TARGET_RPS, TARGET_P95_MS = 200, 100.0


def populate(count: int) -> None:
    """Runs in a child process with the benchmark's KANALVAKT_VAR_DIR (see main)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from archive_search import fill

    fill(count)
    print(f"populated: {count} items", flush=True)


def urls(base: str) -> list[str]:
    """Search URLs plus one record page, picked from what the server itself lists."""
    body = urllib.request.urlopen(base + "/sok/?q=badplats", timeout=30).read().decode()
    record = body.split('href="/handling/', 1)[1].split('"', 1)[0]
    channel = body.split('name="kanal"', 1)[1].split('<option value="', 2)[2].split('"', 1)[0]
    return [
        "/sok/?q=badplats",
        "/sok/?" + urllib.parse.urlencode({"q": "snöröjning Lönsboda"}),
        "/sok/?" + urllib.parse.urlencode({"q": "kommentaren", "kanal": channel}),
        "/sok/?" + urllib.parse.urlencode({"fran": "2024-06-01", "till": "2024-06-30"}),
        f"/handling/{record}",
        MIXED,
    ]


# Pseudo-URL: each request picks one of many different queries (cached pages help only
# once a query has been asked), as visitors would.
MIXED = "/sok/ (400 different queries)"


def mixed_queries() -> list[str]:
    from archive_search import WORDS

    rng = random.Random(3)
    return [
        "/sok/?" + urllib.parse.urlencode({"q": " ".join(rng.sample(WORDS, rng.choice((1, 2))))})
        for _ in range(400)
    ]


def mixed_script(base_script: str) -> str:
    paths = ", ".join(f'"{path}"' for path in mixed_queries())
    return (
        f"paths = {{{paths}}}\n"
        "request = function() return wrk.format(nil, paths[math.random(#paths)]) end\n"
        + base_script
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--data-dir", type=Path, help="an existing data directory to serve")
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate is not None:
        populate(args.populate)
        return 0

    var_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kanalvakt-bench-public-search-"))
    env = {
        **os.environ,
        "KANALVAKT_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "kanalvakt.conf.dev",
        "KANALVAKT_DEBUG": "0",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "bench"), os.environ.get("PYTHONPATH")])
        ),
    }
    env.pop("DATABASE_URL", None)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    try:
        if not args.data_dir:
            subprocess.run(
                [sys.executable, __file__, "--populate", str(args.items)], env=env, check=True
            )
        server = start_server(env, var_dir, port)
        targets = urls(base)
        for url in targets[:-1]:  # warm up every worker
            for _ in range(20):
                urllib.request.urlopen(base + url, timeout=30).read()
        script = var_dir / "report.lua"
        script.write_text(WRK_SCRIPT)
        mixed = var_dir / "mixed.lua"
        mixed.write_text(mixed_script(WRK_SCRIPT))
        use_wrk = shutil.which("wrk") is not None
        data = "given data directory" if args.data_dir else f"{args.items} items"
        print(f"{data}; {args.clients} clients for {args.seconds} s per URL; "
              f"load average before: {os.getloadavg()[0]:.2f}; load generator: "
              f"{'wrk' if use_wrk else 'Python threads'} (separate process)")  # fmt: skip
        print(f"{'URL':<44}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}")
        failed = False
        for url in targets:
            if url == MIXED:
                if not use_wrk:
                    continue
                result = run_wrk(base + "/sok/", args.seconds, args.clients, mixed)
            else:
                wrk_script = script if use_wrk else None
                result = load_url(base + url, args.seconds, args.clients, wrk_script)
            ok = result["rps"] >= TARGET_RPS and result["p95"] <= TARGET_P95_MS
            failed |= not ok or result["errors"] > 0
            label = urllib.parse.unquote_plus(url)[:43]
            verdict = "ok" if ok else "MISSED"
            print(f"{label:<44}{result['rps']:>8.0f}{result['p50']:>8.1f}{result['p95']:>8.1f}"
                  f"{result['p99']:>8.1f}{result['errors']:>8}  {verdict}")  # fmt: skip
        print(f"target: >= {TARGET_RPS} req/s and p95 <= {TARGET_P95_MS:g} ms per URL")
        return 1 if failed else 0
    finally:
        stop_server(server)
        if not args.data_dir:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
