"""For auditors: each clause, what Kanalvakt does about it, and the tests that prove it."""

import json
from pathlib import Path

from django.conf import settings

from kanalvakt.compliance.checks import CHECKS
from kanalvakt.core.guideline import clauses


def coverage() -> dict | None:
    path = Path(settings.KANALVAKT_REQUIREMENTS_COVERAGE)
    if not path.is_absolute():
        path = settings.PACKAGE_DIR.parent.parent / path
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def traceability() -> tuple[list[dict], bool]:
    tests = coverage()
    rows = []
    for clause in clauses():
        rows.append(
            {
                "id": clause.id,
                "quote": clause.quote,
                "requirement": clause.requirement,
                "checks": [str(c.title) for c in CHECKS.values() if c.clause == clause.id],
                "tests": (tests or {}).get(clause.id, []),
            }
        )
    return rows, tests is not None
