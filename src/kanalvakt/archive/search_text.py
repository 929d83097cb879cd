"""Words and Swedish stems for archive search, the same on SQLite and PostgreSQL.

Both engines index and query the stems computed here, so a search gives the same hits
on either. The Snowball Swedish stemmer is applied until stable (at most twice): once
takes "kommentarer" only to "kommentar", twice joins it with "kommentar" and
"kommentaren" ("komment"). å, ä and ö are letters of their own and are never folded.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from django.utils.safestring import SafeString, mark_safe

from kanalvakt.core.marking import mark_spans

_WORD = re.compile(r"\w+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("swedish")
MAX_QUERY_WORDS = 8


def words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text or "")]


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    once = _STEMMER.stemWord(word)
    return _STEMMER.stemWord(once) if once != word else once


def stemmed_body(text: str) -> str:
    return " ".join(stem(word) for word in words(text))


def query_stems(query: str) -> list[str]:
    """Distinct stems of the query, in order; the rest of the query is ignored."""
    seen: dict[str, None] = {}
    for word in words(query)[:MAX_QUERY_WORDS]:
        seen.setdefault(stem(word))
    return list(seen)


def highlight(text: str, stems: list[str], width: int = 240) -> SafeString:
    """A snippet of ``text`` around the first hit, the words found in <mark>, escaped."""
    wanted = set(stems)
    matches = [m.span() for m in _WORD.finditer(text) if stem(m.group().lower()) in wanted]
    start = max(0, matches[0][0] - width // 3) if matches else 0
    end = min(len(text), start + width)
    window = [(a - start, b - start) for a, b in matches if a >= start and b <= end]
    snippet = mark_spans(text[start:end], window)
    return mark_safe(f"{'…' if start else ''}{snippet}{'…' if end < len(text) else ''}")  # noqa: S308 - escaped by mark_spans
