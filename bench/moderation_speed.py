"""Speed of the moderation detectors, on one core.

    uv run python bench/moderation_speed.py [--n 20000] [--compare]

Comments are the dev set (tests/moderation/data/moderation-dev.jsonl) repeated; the
detectors' caches are emptied before each pass so that no cache helps. ``--compare``
also runs Presidio (its Swedish personnummer recogniser, ``no_op`` NLP engine, no
spaCy model) and better-profanity with the Swedish word list on the same comments,
and prints their speed and
recall/precision against the dev labels (see docs/benchmarks.md).
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


def rate(fn, texts: list[str], period: int = 0) -> float:
    """Comments per second; caches are emptied every ``period`` comments (one pass of
    the dev set), so every comment is analysed from scratch."""
    start = time.perf_counter()
    for i, text in enumerate(texts):
        if period and i % period == 0:
            clear_caches()
        fn(text)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    texts = comments(args.n)
    screen(texts[0])  # load lexicons once
    period = len(set(texts))
    ours = rate(screen, texts, period)
    print(f"kanalvakt detectors (all families): {ours:,.0f} comments/s over {args.n} comments")
    if args.compare:
        from compare_baselines import compare  # bench/compare_baselines.py

        compare(texts[: min(args.n, 3000)], ours)


if __name__ == "__main__":
    main()
