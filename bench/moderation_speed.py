"""Speed of the moderation detectors, on one core.

    uv run python bench/moderation_speed.py [--n 20000] [--compare] [--cpu]

Comments are the dev set (tests/moderation/data/moderation-dev.jsonl) repeated; the
detectors' caches are emptied before each pass so that no cache helps. ``--compare``
also runs Presidio (its Swedish personnummer recogniser, ``no_op`` NLP engine, no
spaCy model) and better-profanity with the Swedish word list on the same comments,
and prints their speed and
recall/precision against the dev labels (see docs/benchmarks.md). ``--cpu`` times
with the process's CPU time instead of the wall clock, for a machine that is busy.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from kanalvakt.core import textnorm
from kanalvakt.moderation.detectors import document, screen

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests/moderation/data/moderation-dev.jsonl"


def comments(n: int) -> list[str]:
    base = [json.loads(line)["text"] for line in DEV.read_text("utf-8").splitlines() if line]
    return [base[i % len(base)] for i in range(n)]


def clear_caches() -> None:
    document.analyse.cache_clear()
    textnorm.normalize.cache_clear()


def rate(fn, texts: list[str], period: int = 0, clock=time.perf_counter) -> float:
    """Comments per second; caches are emptied every ``period`` comments (one pass of
    the dev set), so every comment is analysed from scratch."""
    start = clock()
    for i, text in enumerate(texts):
        if period and i % period == 0:
            clear_caches()
        fn(text)
    return len(texts) / (clock() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--cpu", action="store_true", help="time with CPU time, not wall clock")
    parser.add_argument(
        "--edited-lexicon",
        action="store_true",
        help="screen with an edited policy version's lexicon (shipped + one added entry), "
        "compiled once as screening does per version",
    )
    args = parser.parse_args()
    texts = comments(args.n)
    run = screen
    if args.edited_lexicon:
        from functools import partial

        from kanalvakt.moderation.detectors.terms import Lexicon, TermEntry, shipped_entries

        terms, allow = shipped_entries()
        edited = Lexicon([*terms, TermEntry("tjosan|swear", "tjosan*", "swear", 1)], allow)
        run = partial(screen, lexicon=edited)
    run(texts[0])  # load lexicons once
    period = len(set(texts))
    clock = time.process_time if args.cpu else time.perf_counter
    ours = rate(run, texts, period, clock)
    which = "edited lexicon" if args.edited_lexicon else "shipped lexicon"
    timing = "CPU time" if args.cpu else "wall clock"
    print(
        f"kanalvakt detectors (all families, {which}): {ours:,.0f} comments/s over {args.n}"
        f" ({timing})"
    )
    if args.compare:
        from compare_baselines import compare  # bench/compare_baselines.py

        compare(texts[: min(args.n, 3000)], ours)


if __name__ == "__main__":
    main()
