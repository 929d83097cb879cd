"""Test-run wiring loaded before Django: a private data directory, clause traceability.

`@pytest.mark.req("R2.4")` marks a test that proves a clause of the guideline. At the end
of the run the clauses with passing tests are written to build/requirements-coverage.json
(every clause id present, possibly with an empty list) and summarised in one line.
"""

import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest

# Before any settings module is imported: tests never touch the developer's ./var.
os.environ.setdefault("KANALVAKT_VAR_DIR", tempfile.mkdtemp(prefix="kanalvakt-test-var-"))

from kanalvakt.core.guideline import clause_ids

ROOT = Path(__file__).resolve().parent.parent
CLAUSES = clause_ids()
_passed: dict[str, set[str]] = defaultdict(set)
_clauses_of: dict[str, list[str]] = {}


def coverage_path() -> Path:
    return Path(os.environ.get("KANALVAKT_REQ_COVERAGE", ROOT / "build/requirements-coverage.json"))


def pytest_collection_modifyitems(session, config, items):
    unknown = []
    for item in items:
        ids = [i for mark in item.iter_markers("req") for i in mark.args]
        bad = [i for i in ids if i not in CLAUSES]
        if bad:
            unknown.append(f"{item.nodeid}: {', '.join(bad)}")
        if ids:
            _clauses_of[item.nodeid] = ids
    if unknown:
        raise pytest.UsageError("unknown clause ids in @pytest.mark.req:\n" + "\n".join(unknown))


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed and report.nodeid in _clauses_of:
        for clause in _clauses_of[report.nodeid]:
            _passed[clause].add(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if getattr(session.config, "workerinput", None) is not None or not _clauses_of:
        return
    if session.config.option.collectonly:
        return
    result = {clause: sorted(_passed.get(clause, ())) for clause in CLAUSES}
    path = coverage_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter):
    if not _clauses_of:
        return
    covered = sum(1 for clause in CLAUSES if _passed.get(clause))
    terminalreporter.write_line(f"requirements covered: {covered}/{len(CLAUSES)}")
