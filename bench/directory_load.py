"""Public directory under load: /kanaler/, /kanaler.json and the embed fragment.

    uv run python bench/directory_load.py                 # 200 channels, 20 clients, 20 s
    uv run python bench/directory_load.py --seconds 5     # a quicker run

Builds a throw-away SQLite data directory, migrates it, creates 200 active channels (plus
paused/closed ones and linked party channels), starts `kanalvakt serve --no-worker
--no-demo --workers 2` (gunicorn, the shipped configuration) and loads it from a second
process on loopback: wrk (apt-get install wrk) with 20 connections, or a threaded Python
client when wrk is missing. Target (issue): >= 300 requests/s and p95 <= 50 ms per URL.
Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URLS = ["/kanaler/", "/kanaler.json", "/kanaler/inbaddning/"]
TARGET_RPS, TARGET_P95_MS = 300, 50.0

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.1f %.1f %.1f %.1f\\n",
    summary.requests, summary.duration, summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def populate(channels: int) -> None:
    """Runs in a child process with the benchmark's KANALVAKT_VAR_DIR (see main)."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from kanalvakt.organisation.models import OrgUnit, Person
    from kanalvakt.registry import workflow
    from kanalvakt.registry.models import Channel, LinkedChannel, Platform

    platforms = list(
        Platform.objects.filter(
            key__in=["facebook", "instagram", "youtube", "linkedin", "x", "tiktok"]
        )
    )
    administrations = [
        OrgUnit.objects.create(name=f"Förvaltning {n}", kind=OrgUnit.Kind.ADMINISTRATION)
        for n in range(6)
    ]
    units = administrations + [
        OrgUnit.objects.create(
            name=f"Verksamhet {n}", kind=OrgUnit.Kind.ACTIVITY, parent=administrations[n % 6]
        )
        for n in range(14)
    ]
    manager = Person.objects.create(name="Chef Chefsson", email="chef@osby.se", org_unit=units[0])
    people = [
        Person.objects.create(
            name=f"Person {n}", email=f"p{n}@osby.se", org_unit=units[n], manager=manager
        )
        for n in range(len(units))
    ]
    extra = 20  # paused and closed: must not be listed
    for n in range(channels + extra):
        platform = platforms[n % len(platforms)]
        handle = f"osby.konto{n}" if platform.key == "facebook" else f"osby_konto{n}"
        if platform.key == "linkedin":
            handle = f"osby-konto{n}"
        person = people[n % len(people)]
        channel = Channel.objects.create(
            platform=platform,
            handle=handle,
            url=platform.url_for(handle),
            display_name=f"Osby konto {n}",
            org_unit=person.org_unit,
            requested_by=person,
            responsible=person,
            purposes=["communicate"],
        )
        steps = ["approve", "activate"] + (["pause" if n % 2 else "close"] if n >= channels else [])
        for step in steps:
            workflow.transition(channel, step, actor_label="bench")
    for n in range(8):
        LinkedChannel.objects.create(
            platform=platforms[0],
            url=f"https://www.facebook.com/parti{n}",
            title=f"Parti {n} i Osby",
            owner=f"Parti {n}",
        )
    print(f"populated: {Channel.objects.listed().count()} listed channels", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, timeout: float = 60.0) -> bool:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def run_wrk(url: str, seconds: int, clients: int, script: Path) -> dict:
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", output)
    requests, duration_us, errors, p50, p95, p99, worst = match.groups()
    return {
        "requests": int(requests),
        "rps": int(requests) / (int(duration_us) / 1e6),
        "errors": int(errors),
        **{
            k: float(v) / 1000
            for k, v in zip(("p50", "p95", "p99", "max"), (p50, p95, p99, worst), strict=True)
        },
    }


def python_client(url: str, seconds: int, clients: int) -> dict:
    """Fallback load: runs as its own process (see main); one thread per client."""
    latencies, errors, lock = [], [0], threading.Lock()
    ends = time.monotonic() + seconds

    def client():
        mine = []
        while time.monotonic() < ends:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    response.read()
                mine.append(time.perf_counter() - started)
            except OSError:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "errors": errors[0],
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "max": max(latencies) * 1000,
    }


def start_server(env: dict, var_dir: Path, port: int) -> subprocess.Popen:
    """`kanalvakt serve` as shipped (gunicorn, 2 workers), up and answering."""
    log = (var_dir / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "kanalvakt.cli", "serve", "--no-worker", "--no-demo",
         "--port", str(port), "--workers", "2"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    if not wait_until_up(f"http://127.0.0.1:{port}"):
        print((var_dir / "server.log").read_text()[-3000:], file=sys.stderr)
        raise SystemExit("the server did not come up")
    return server


def stop_server(server: subprocess.Popen | None) -> None:
    """Stop what start_server started (gunicorn and its workers)."""
    if server is not None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def load_url(url: str, seconds: int, clients: int, wrk_script: Path | None) -> dict:
    """Load ``url`` from a second process: wrk with its script, else Python threads."""
    if wrk_script is not None:
        return run_wrk(url, seconds, clients, wrk_script)
    output = subprocess.run(
        [sys.executable, __file__, "--python-client", url,
         "--seconds", str(seconds), "--clients", str(clients)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument(
        "--persistent-connections",
        action="store_true",
        help="Serve with CONN_MAX_AGE=60 on SQLite (what the embedded default would gain "
        "from persistent database connections; PostgreSQL already has them).",
    )
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--python-client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate is not None:
        populate(args.populate)
        return 0
    if args.python_client:
        print(json.dumps(python_client(args.python_client, args.seconds, args.clients)))
        return 0

    var_dir = Path(tempfile.mkdtemp(prefix="kanalvakt-bench-directory-"))
    env = {
        **os.environ,
        "KANALVAKT_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "kanalvakt.conf.dev",
        "KANALVAKT_DEBUG": "0",
    }
    env.pop("DATABASE_URL", None)
    if args.persistent_connections:
        (var_dir / "bench_settings.py").write_text(
            "from kanalvakt.conf.dev import *  # noqa\n"
            'DATABASES["default"]["CONN_MAX_AGE"] = 60\n'
            'DATABASES["default"]["CONN_HEALTH_CHECKS"] = True\n'
        )
        env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(var_dir), env.get("PYTHONPATH")]))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    try:
        subprocess.run(
            [sys.executable, __file__, "--populate", str(args.channels)], env=env, check=True
        )
        server = start_server(env, var_dir, port)
        for url in URLS:  # warm up: every worker process builds its cached copies
            for _ in range(50):
                urllib.request.urlopen(base + url, timeout=5).read()
        body = urllib.request.urlopen(base + "/kanaler.json", timeout=5).read()
        listed = len(json.loads(body)["official_channels"])
        script = var_dir / "report.lua"
        script.write_text(WRK_SCRIPT)
        use_wrk = shutil.which("wrk") is not None
        load = os.getloadavg()[0]
        print(f"settings: {env['DJANGO_SETTINGS_MODULE']}; load average before: {load:.2f}")
        print(
            f"{listed} listed channels; {args.clients} clients for {args.seconds} s per URL; "
            f"load generator: {'wrk' if use_wrk else 'Python threads'} (separate process)"
        )
        print(
            f"{'URL':<24}{'requests':>9}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}"
            f"{'p99 ms':>8}{'max ms':>8}{'errors':>8}"
        )
        failed = False
        for url in URLS:
            result = load_url(base + url, args.seconds, args.clients, script if use_wrk else None)
            ok = result["rps"] >= TARGET_RPS and result["p95"] <= TARGET_P95_MS
            failed |= not ok or result["errors"] > 0
            print(
                f"{url:<24}{result['requests']:>9}{result['rps']:>9.0f}{result['p50']:>8.1f}"
                f"{result['p95']:>8.1f}{result['p99']:>8.1f}{result['max']:>8.1f}"
                f"{result['errors']:>8}  {'ok' if ok else 'MISSED'}"
            )
        print(f"target: >= {TARGET_RPS} req/s and p95 <= {TARGET_P95_MS:g} ms per URL")
        return 1 if failed else 0
    finally:
        stop_server(server)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
