"""The guideline Kanalvakt enforces (Osby's by default) and its numbered clauses."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLAUSE_ROW = re.compile(r"^\|\s*(R\d+\.\d+[a-z]?)\s*\|(.*?)\|(.*?)\|\s*$")


@dataclass(frozen=True)
class Clause:
    id: str
    quote: str
    requirement: str


@cache
def clauses() -> tuple[Clause, ...]:
    text = (HERE / "REQUIREMENTS.md").read_text(encoding="utf-8")
    found = []
    for line in text.splitlines():
        match = CLAUSE_ROW.match(line)
        if match:
            found.append(Clause(match[1], match[2].strip(), match[3].strip()))
    return tuple(found)


def clause_ids() -> list[str]:
    return [c.id for c in clauses()]


def guideline_text() -> str:
    return (HERE / "riktlinjer-sociala-medier.txt").read_text(encoding="utf-8")
