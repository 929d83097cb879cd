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


def highlight(text: str, stems: list[str], width: int = 240) -> list[tuple[str, bool]]:
    """A snippet of ``text`` around the first hit, as (segment, is_hit) pairs."""
    wanted = set(stems)
    matches = [m for m in _WORD.finditer(text) if stem(m.group().lower()) in wanted]
    start = max(0, matches[0].start() - width // 3) if matches else 0
    end = min(len(text), start + width)
    segments: list[tuple[str, bool]] = [("…", False)] if start else []
    position = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        segments += [(text[position : match.start()], False), (match.group(), True)]
        position = match.end()
    segments.append((text[position:end], False))
    if end < len(text):
        segments.append(("…", False))
    return [segment for segment in segments if segment[0]]
