"""A word-level diff of two versions of a text, for showing what an edit changed."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]+")
SAME, ADDED, REMOVED = "same", "added", "removed"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``new`` against ``old`` as (operation, text) runs; whitespace is kept as written."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    runs: list[tuple[str, str]] = []
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            runs.append((SAME, "".join(before[a0:a1])))
            continue
        if a1 > a0:
            runs.append((REMOVED, "".join(before[a0:a1])))
        if b1 > b0:
            runs.append((ADDED, "".join(after[b0:b1])))
    return runs
