"""Evaluation of question detection (R3.1): figures on labelled sets, report shape.

Data: moderation-dev.jsonl is the project's development set (written for
this project, copied from ../shared/data); questions-heldout*.jsonl are
held-out sentences written for this module (see data/SOURCE.md).
"""

import json
from pathlib import Path

import pytest

from kanalvakt.dialog.evaluate import evaluate, format_report, main, score

pytestmark = pytest.mark.req("R3.1")

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    "name",
    [
        "moderation-dev.jsonl",
        "questions-heldout.jsonl",
        "questions-heldout-b.jsonl",
        "questions-heldout-c.jsonl",
    ],
)
def test_precision_and_recall_reach_the_bar(name):
    report = evaluate(DATA / name)
    assert report["precision"] >= 0.90
    assert report["recall"] >= 0.90


def test_report_has_exactly_the_agreed_shape():
    report = evaluate(DATA / "moderation-dev.jsonl")
    assert set(report) == {"precision", "recall", "f1", "items"}
    assert report["items"] == 300


def test_score_arithmetic():
    pairs = [(True, True), (True, False), (False, True), (False, False), (True, True)]
    assert score(pairs) == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "items": 5}
    assert score([]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "items": 0}


def test_cli_prints_json_and_text(tmp_path, capsys):
    path = tmp_path / "tiny.jsonl"
    rows = [
        {"text": "När öppnar simhallen?", "is_question": True},
        {"text": "Tack för en fin dag!", "is_question": False},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert main([str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "items": 2,
    }
    main([str(path)])
    assert capsys.readouterr().out.strip() == format_report(evaluate(path))


def test_lines_without_labels_are_rejected(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "Hej?"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="is_question"):
        evaluate(path)


def test_cli_prints_exactly_one_json_object(tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    data = Path(__file__).parent / "data" / "moderation-dev.jsonl"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["KANALVAKT_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "kanalvakt.cli", "dialog", "evaluate", str(data), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    report = json.loads(result.stdout)
    assert set(report) == {"precision", "recall", "f1", "items"} and report["items"] == 300
