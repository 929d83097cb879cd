"""Explainable Swedish moderation detectors (pure Python, no Django, no model downloads).

``screen(text, context=None)`` runs every detector family and returns at most one
``Flag`` per category (R4.2a-g, R7.6), each with evidence spans into the original
text, the rule that fired and a one-sentence Swedish explanation.
"""

from __future__ import annotations

from . import commercial, confidential, copyright, hate, insults, profanity, threats, violence_porn
from .base import (
    CATEGORIES,
    REQUIREMENT_OF_CATEGORY,
    DuplicateIndex,
    Flag,
    ScreenContext,
    merge_spans,
)
from .document import analyse
from .terms import Lexicon

__all__ = [
    "CATEGORIES",
    "FAMILIES",
    "REQUIREMENT_OF_CATEGORY",
    "DuplicateIndex",
    "Flag",
    "ScreenContext",
    "screen",
]

FAMILIES = (insults, hate, violence_porn, threats, copyright, profanity, commercial, confidential)


def screen(
    text: str, context: ScreenContext | None = None, lexicon: Lexicon | None = None
) -> list[Flag]:
    """All rule-based flags for ``text``, one per category, in category order.
    ``lexicon``: a policy version's compiled lexicon; None is the shipped one."""
    if not text or not text.strip():
        return []
    doc = analyse(text, lexicon)
    best: dict[str, Flag] = {}
    spans: dict[str, list] = {}
    for family in FAMILIES:
        for flag in family.detect(doc, context):
            spans.setdefault(flag.category, []).extend(flag.spans)
            current = best.get(flag.category)
            if current is None or flag.score > current.score:
                best[flag.category] = flag
    out = []
    for category in CATEGORIES:
        flag = best.get(category)
        if flag is None:
            continue
        if len(spans[category]) != len(flag.spans):
            flag = Flag(
                flag.category,
                flag.score,
                merge_spans(spans[category]),
                flag.rule,
                flag.explanation_sv,
                flag.severity,
                flag.statistical,
            )
        out.append(flag)
    return out
