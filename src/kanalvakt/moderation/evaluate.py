"""Evaluate the detectors on a labelled JSONL file (one object a line: text, labels, is_question).

``python -m kanalvakt.moderation.evaluate FILE.jsonl [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from kanalvakt.moderation.detectors import CATEGORIES, Flag, screen

Screen = Callable[[str], list[Flag]]


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(items: Iterable[dict], screen_fn: Screen = screen) -> dict:
    """Per-category precision/recall/F1, macro-F1 and the flag rate on clean items."""
    counts = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CATEGORIES}
    unlabelled = flagged_unlabelled = n = 0
    for item in items:
        n += 1
        gold = set(item.get("labels") or [])
        predicted = {f.category for f in screen_fn(item["text"])}
        for c in CATEGORIES:
            if c in predicted and c in gold:
                counts[c]["tp"] += 1
            elif c in predicted:
                counts[c]["fp"] += 1
            elif c in gold:
                counts[c]["fn"] += 1
        if not gold:
            unlabelled += 1
            flagged_unlabelled += bool(predicted)
    per_label = {}
    for c, k in counts.items():
        p = k["tp"] / (k["tp"] + k["fp"]) if k["tp"] + k["fp"] else 0.0
        r = k["tp"] / (k["tp"] + k["fn"]) if k["tp"] + k["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_label[c] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "support": k["tp"] + k["fn"],
        }
    macro = sum(v["f1"] for v in per_label.values()) / len(per_label)
    return {
        "per_label": per_label,
        "macro_f1": round(macro, 4),
        "unlabelled_flag_rate": round(flagged_unlabelled / unlabelled, 4) if unlabelled else 0.0,
        "items": n,
    }


def evaluate(path: str | Path, screen_fn: Screen = screen) -> dict:
    return score(load(path), screen_fn)


def format_report(result: dict) -> str:
    lines = [f"{'category':<22}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>9}"]
    for c, v in result["per_label"].items():
        lines.append(
            f"{c:<22}{v['precision']:>10.3f}{v['recall']:>10.3f}{v['f1']:>10.3f}{v['support']:>9}"
        )
    lines.append(f"{'macro-F1':<22}{result['macro_f1']:>30.3f}")
    lines.append(
        f"unlabelled items flagged: {result['unlabelled_flag_rate']:.1%}   items: {result['items']}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kanalvakt moderation evaluate")
    parser.add_argument("file", help="JSONL with text, labels, is_question")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = evaluate(args.file)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
