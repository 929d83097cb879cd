"""Screenshots: 100 channels captured in one run, one browser, memory sampled throughout.

    uv run python bench/screenshots_run.py              # 100 channels
    uv run python bench/screenshots_run.py --channels 20

Builds a throw-away SQLite data directory, migrates it, creates N active channels whose
addresses are pages served on 127.0.0.1 (tests/screenshots/local_pages.py), and runs the
worker's capture of due channels (kanalvakt.screenshots.capture.capture_due: one
Chromium, a fresh context per page, PNG + PDF stored content-addressed, audited).
Reports seconds per page and the resident memory of this process plus every Chromium
process, sampled after each capture. Targets (issue 9): a local page in <= 5 s; no memory
growth over the run (the median of the last 10 samples at most 25 % over that of captures
11-20, which covers allocator noise). Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
TARGET_SECONDS, MAX_GROWTH = 5.0, 1.25


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mib() -> float:
    """RSS of this process and all its descendants (Playwright's driver, Chromium)."""
    total, stack = 0, [os.getpid()]
    while stack:
        pid = stack.pop()
        total += _rss_kib(pid)
        stack.extend(_children(pid))
    return total / 1024


class MeasuredBrowser:
    """Wraps the run's browser to time each capture and sample memory after it."""

    def __init__(self, browser):
        self.browser, self.seconds, self.memory = browser, [], []

    def capture(self, url, **kwargs):
        result = self.browser.capture(url, **kwargs)
        self.seconds.append(result.seconds)
        self.memory.append(tree_rss_mib())
        if not result.ok:
            print(f"  failed {url}: {result.detail}", file=sys.stderr)
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=100)
    args = parser.parse_args()

    os.environ["KANALVAKT_VAR_DIR"] = tempfile.mkdtemp(prefix="kv-bench-shots-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.conf.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kanalvakt.screenshots.browser import ScreenshotBrowser
    from kanalvakt.screenshots.capture import capture_due
    from kanalvakt.screenshots.models import ScreenshotFile
    from registry.helpers import make_channel
    from screenshots.local_pages import serve_pages

    with serve_pages() as base:
        for n in range(args.channels):
            channel = make_channel(display_name=f"Osby kanal {n}")
            channel.url = f"{base}/channel/{n}?title=Osby%20kanal%20{n}"
            channel.save()
        started = time.monotonic()
        with ScreenshotBrowser() as browser:
            measured = MeasuredBrowser(browser)
            summary = capture_due(limit=args.channels, browser=measured)
        wall = time.monotonic() - started

    seconds = sorted(measured.seconds)
    p95 = seconds[max(0, int(len(seconds) * 0.95) - 1)]
    # Levels, not single samples: a closing context's renderer can overlap the next one's
    # for a moment, so one sample may spike; growth shows as a rising level.
    memory = measured.memory
    early = statistics.median(memory[10:20] or memory)
    late = statistics.median(memory[-10:])
    peak = max(memory)
    stored = ScreenshotFile.objects.count()
    print(f"channels captured: {summary.captured}/{args.channels}, failed {summary.failed}")
    print(f"files stored: {stored}; wall time {wall:.1f} s (incl. browser start)")
    print(
        f"seconds per page: mean {statistics.mean(seconds):.2f}, "
        f"p95 {p95:.2f}, max {seconds[-1]:.2f}"
    )
    print(
        f"memory (this process + Chromium, MiB): median of captures 11-20 {early:.0f}, "
        f"median of the last 10 {late:.0f}, highest single sample {peak:.0f}"
    )
    ok = (
        summary.captured == args.channels
        and seconds[-1] <= TARGET_SECONDS
        and late <= early * MAX_GROWTH
    )
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
