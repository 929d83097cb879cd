"""Swear words and obscene words (R4.2f, ``profanity_obscene``)."""

from __future__ import annotations

from .base import PROFANITY_OBSCENE, Flag, ScreenContext, merge_spans
from .document import Document, analyse

_EXPLANATION = {
    "swear": "Kommentaren innehåller svordomar ({words}).",
    "obscene": "Kommentaren innehåller obscena ord ({words}).",
}


def detect(doc: Document, context: ScreenContext | None = None) -> list[Flag]:
    hits = doc.terms("swear", "obscene", "sexist_slur")
    if not hits:
        return []
    obscene = [h for h in hits if h.cls != "swear"]
    kind = "obscene" if obscene else "swear"
    severity = max(h.severity for h in hits)
    words = ", ".join(sorted({doc.original[slice(*doc.span(h.start, h.end))] for h in hits}))
    return [
        Flag(
            category=PROFANITY_OBSCENE,
            score=min(1.0, 0.6 + 0.1 * severity + 0.05 * (len(hits) - 1)),
            spans=merge_spans([doc.span(h.start, h.end) for h in hits]),
            rule=f"profanity.{kind}",
            explanation_sv=_EXPLANATION[kind].format(words=words),
            severity=severity,
        )
    ]


def screen(text: str, context: ScreenContext | None = None) -> list[Flag]:
    return detect(analyse(text), context)
