"""Evaluate question detection against a labelled JSONL file (R3.1).

Each line is a JSON object with at least `text` and `is_question`. The
report's JSON shape is fixed: {"precision", "recall", "f1", "items"}; the
lead wires it into `kanalvakt dialog evaluate FILE.jsonl [--json]`.

    python -m kanalvakt.dialog.evaluate FILE.jsonl [--json] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from kanalvakt.dialog.questions import detect_question


def read_items(path: str | Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            if "text" not in item or "is_question" not in item:
                raise ValueError(f"{path}:{number}: needs 'text' and 'is_question'")
            yield item


def score(pairs: Iterable[tuple[bool, bool]]) -> dict:
    """Precision, recall, F1 of (expected, predicted) pairs; 0.0 when undefined."""
    tp = fp = fn = items = 0
    for expected, predicted in pairs:
        items += 1
        tp += expected and predicted
        fp += predicted and not expected
        fn += expected and not predicted
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "items": items,
    }


def evaluate(path: str | Path) -> dict:
    """{"precision": p, "recall": r, "f1": f, "items": n} for the file at `path`."""
    return score(
        (bool(item["is_question"]), detect_question(item["text"]).is_question)
        for item in read_items(path)
    )


def errors(path: str | Path) -> list[dict]:
    """The misclassified items, with the detector's explanation (for tuning)."""
    wrong = []
    for item in read_items(path):
        result = detect_question(item["text"])
        if result.is_question != bool(item["is_question"]):
            wrong.append(
                {**item, "predicted": result.is_question, "explanation_sv": result.explanation_sv}
            )
    return wrong


def format_report(report: dict) -> str:
    return (
        f"Frågedetektering: {report['items']} poster\n"
        f"  precision  {report['precision']:.3f}\n"
        f"  recall     {report['recall']:.3f}\n"
        f"  F1         {report['f1']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kanalvakt dialog evaluate", description=__doc__)
    parser.add_argument("file", help="JSONL with 'text' and 'is_question'")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--errors", action="store_true", help="also list misclassified items")
    args = parser.parse_args(argv)
    report = evaluate(args.file)
    print(json.dumps(report) if args.json else format_report(report))
    if args.errors:
        for item in errors(args.file):
            print(json.dumps(item, ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
