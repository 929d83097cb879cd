"""One analysed comment, shared by all detector families.

Normalises once, finds lexicon terms once, and marks who a sentence is about
(second person, a named person, a role such as "rektorn", a body such as
"kommunstyrelsen"). All positions are in the NORMALISED text; ``span`` maps them
back to the original for evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from kanalvakt.core.textnorm import Normalized, normalize

from .base import Gated, Span
from .terms import Lexicon, TermHit, find_terms

# ``[.!?…]+(?=\s|$)|\n+|\s[–—]\s``, written to start with one character class so
# that ``re`` skips ahead to candidate characters instead of trying every position.
_SENTENCE_END = re.compile(r"[.!?…\s](?:(?<=[.!?…])[.!?…]*(?=\s|$)|(?<=\n)\n*|(?<=\s)[–—]\s)")
_WORD = re.compile(r"([^\W\d_]+)(?:-[^\W\d_]+)?")  # group 1: the part before a hyphen
# A letter or digit, a dot and a letter, or "://"; starting with [.:] lets re jump
# from one dot or colon to the next.
_URL_HINT = re.compile(r"[.:](?:(?<=[a-z0-9]\.)[a-z]|(?<=:)//)")
_URL = re.compile(
    r"(?:https?://\S+|\b(?:www\.)?(?:[a-z0-9][a-z0-9-]*\.)+(?:se|com|net|org|nu|cc|xyz|live|online"
    r"|to|me|io|tv|info|biz|eu|dk|no|app|link|ly|nz|gg|club|shop|store|site|fun|top|ru|co)\b"
    r"(?:/[^\s,;!?)\]]*)?)"
)

# Who a statement can be aimed at. "second": the reader (du/din), "plural": ni/er,
# "third": han/hon, "role": an official or a described person, "body": a board.
_SECOND = re.compile(r"\b(?:du|dig|dej|din|ditt|dina|du's)\b")
_PLURAL = re.compile(r"\b(?:ni|er|era)\b")
_THIRD = re.compile(r"\b(?:han|hon|hen|honom|henne|hans|hennes|den där|han där|hon där)\b")
# Role words may end a compound ("socialchefen", "miljöinspektören"): matched at the
# end of a word and widened to the whole word, which is much faster than a leading [a-z]*.
_ROLE_END = Gated(
    "chef|rektor|lärare|lärarinnan|rådet|ordförande|inspektör|sekreterare|handläggare|moderator"
    "|politiker|ledamot|ledamöterna|tjänsteman|tjänstemännen|borgmästare|assistenten|sköterskan"
    "|ledaren|vaktmästaren|bibliotekarien|direktören|vd:n|hyresgästen|personalen",
    r"(?:chef|chefen|rektor|rektorn|lärare|läraren|lärarinnan|rådet|ordförande|ordföranden"
    r"|inspektör|inspektören|sekreterare|sekreteraren|handläggare|handläggaren|moderator"
    r"|moderatorn|politiker|politikern|politikerna|ledamot|ledamoten|ledamöterna|tjänsteman"
    r"|tjänstemannen|tjänstemännen|borgmästare|borgmästaren|assistenten|sköterskan|ledaren"
    r"|läraren|vaktmästaren|bibliotekarien|direktören|vd:n|hyresgästen|personalen)\b",
)
_ROLE_WORD = re.compile(
    r"\b(?:grannen|grannens|grannar|kollega|kollegan|mannen|kvinnan|killen|tjejen|tjejerna|gubbe"
    r"|gubben|eleven|anställda|prästen|läkaren|doktorn|sonen|dottern|systern|brodern|mamman"
    r"|pappan|morsan|farsan|son|dotter|man|fru|frun|sambo|barnen|barn|elever|den som|de som"
    r"|ni som|styrs av|i \d[a-f]|@\w+|i kassan|i receptionen|i växeln|i kiosken|på bygglov"
    r"|på [a-zåäö]+kontoret|på [a-zåäö]+skolan)\b"
)
_BODY = Gated(
    "styrelsen|fullmäktige|nämnden|majoriteten|oppositionen|ledningen|förvaltningen",
    r"\b(?:kommunstyrelsen|fullmäktige|kommunfullmäktige|nämnden|[a-zåäö]+nämnden|styrelsen"
    r"|majoriteten|oppositionen|ledningen|förvaltningen)\b",
)


_SENTENCE_OPENERS = frozenset({"", ".", "!", "?", "…", ":", '"', "'", "\n"})


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str]]:
    """(names that count anywhere, all names); the others are also common words and
    count only mid-sentence."""
    text = resources.files("kanalvakt.moderation.lexicon").joinpath("names.txt").read_text("utf-8")
    plain, ambiguous = set(), set()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.endswith("*"):
            ambiguous.add(line[:-1].lower())
        else:
            plain.add(line.lower())
    return frozenset(plain), frozenset(plain | ambiguous)


@dataclass(slots=True)
class Target:
    kind: str  # second | plural | third | name | role | body
    start: int
    end: int


@dataclass(slots=True)
class Document:
    norm: Normalized
    hits: list[TermHit]
    by_class: dict[str, list[TermHit]] = field(default_factory=dict)
    _sentences: list[Span] | None = None
    _targets: list[Target] | None = None
    _urls: list[Span] | None = None

    @property
    def text(self) -> str:
        """The normalised text (lower case); patterns run on this."""
        return self.norm.text

    @property
    def original(self) -> str:
        return self.norm.original

    def span(self, start: int, end: int) -> Span:
        return self.norm.original_span(start, end)

    def has(self, *classes: str) -> bool:
        return any(c in self.by_class for c in classes)

    def terms(self, *classes: str) -> list[TermHit]:
        by_class = self.by_class
        if not by_class:
            return []
        found = [by_class[c] for c in classes if c in by_class]
        if len(found) <= 1:
            return list(found[0]) if found else []
        return [h for hits in found for h in hits]

    @property
    def sentences(self) -> list[Span]:
        if self._sentences is None:
            self._sentences = _sentence_spans(self.text)
        return self._sentences

    def sentence_of(self, pos: int) -> Span:
        for start, end in self.sentences:
            if start <= pos < end:
                return start, end
        return 0, len(self.text)

    @property
    def urls(self) -> list[Span]:
        if self._urls is None:
            self._urls = (
                [m.span() for m in _URL.finditer(self.text)] if _URL_HINT.search(self.text) else []
            )
        return self._urls

    @property
    def targets(self) -> list[Target]:
        if self._targets is None:
            self._targets = _find_targets(self)
        return self._targets

    def targets_in(self, start: int, end: int, kinds: frozenset[str] | None = None) -> list[Target]:
        return [
            t for t in self.targets if start <= t.start < end and (kinds is None or t.kind in kinds)
        ]

    def is_capitalised(self, pos: int) -> bool:
        return self.original[self.norm.source[pos]].isupper()


def _sentence_spans(text: str) -> list[Span]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def _find_targets(doc: Document) -> list[Target]:
    text = doc.text
    out = [Target("second", *m.span()) for m in _SECOND.finditer(text)]
    out += [Target("plural", *m.span()) for m in _PLURAL.finditer(text)]
    out += [Target("third", *m.span()) for m in _THIRD.finditer(text)]
    for m in _ROLE_END.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        out.append(Target("role", start, m.end()))
    out += [Target("role", *m.span()) for m in _ROLE_WORD.finditer(text)]
    out += [Target("body", *m.span()) for m in _BODY.finditer(text)]
    plain, names = _names()
    if names.isdisjoint(_WORD.findall(text)):  # most comments name nobody
        return out
    for m in _WORD.finditer(text):
        first = m.group(1)
        if first not in names or not doc.is_capitalised(m.start()):
            continue
        sentence_start = text[: m.start()].rstrip()[-1:] in _SENTENCE_OPENERS
        if first in plain or not sentence_start:
            out.append(Target("name", *m.span()))
    return out


@lru_cache(maxsize=2048)
def analyse(text: str, lex: Lexicon | None = None) -> Document:
    """``lex``: an edited policy version's lexicon; None is the shipped one. Part of the
    cache key, so a new version never sees another version's hits."""
    norm = normalize(text)
    hits = find_terms(norm, lex)
    by_class: dict[str, list[TermHit]] = defaultdict(list)
    for hit in hits:
        by_class[hit.cls].append(hit)
    return Document(norm, hits, dict(by_class))
