"""Compound-aware lexicon matching (Aho-Corasick) over normalised text.

The lexicon (``lexicon/terms.tsv``) and allow-list (``lexicon/allow.txt``) share one
syntax: a form matches as a whole word, ``*`` before it allows a compound's first
part (``*idiot`` -> ``jubelidiot``), ``*`` after it allows inflection or a second
part (``idiot*`` -> ``idioterna``, ``idiotpolitiker``); a leading ``=`` requires the
original text to be in capitals (``=MS``, not "ms"). Terms are matched with doubled
letters squeezed, so elongations and misspellings (``jävvla``) are caught; an
allow-list match that covers a hit cancels it (``fann`` is not ``fan``, ``Fittja``
is a place).
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from kanalvakt.core.textnorm import Normalized, normalize, squeeze

__all__ = [
    "AllowEntry",
    "Lexicon",
    "TermEntry",
    "TermHit",
    "compiled_lexicon",
    "find_terms",
    "lexicon",
    "shipped_entries",
]

_MASKED_TOKEN = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?:[*#%]+[^\W\d_]*)+")
_MASK_CHARS = re.compile(r"[*#%]")
# Letters that people replace with "*" (mostly vowels): f*n, j*vla, f**k, h*ra.
_MASK_GUESSES = "aeiouyåäöcklnrt"
_MAX_MASKS = 2


@dataclass(frozen=True, slots=True)
class TermSpec:
    form: str
    cls: str
    severity: int
    left_open: bool
    right_open: bool
    upper_only: bool
    key_length: int
    runs: tuple[int, ...]  # letter-run lengths of the unsqueezed form: "fitta" -> 1,1,2,1


@dataclass(frozen=True, slots=True)
class TermHit:
    """A lexicon term found at ``start:end`` of the NORMALISED text."""

    cls: str
    form: str
    severity: int
    start: int
    end: int
    token: str


def _parse_form(raw: str) -> tuple[str, bool, bool, bool]:
    form = raw.strip()
    upper_only = form.startswith("=")
    form = form.lstrip("=")
    left_open, right_open = form.startswith("*"), form.endswith("*")
    return form.strip("*"), left_open, right_open, upper_only


def _key(text: str) -> str:
    return squeeze(normalize(text))[0]


def _runs(text: str) -> tuple[int, ...]:
    squeezed, index = squeeze(normalize(text))
    bounds = [*index, len(normalize(text).text)]
    return tuple(bounds[i + 1] - bounds[i] for i in range(len(squeezed)))


class Matcher:
    """An Aho-Corasick automaton over squeezed keys with star semantics."""

    def __init__(self, entries: list[tuple[str, str, int]], *, squeezed: bool = True):
        self._squeezed = squeezed
        self._automaton = ahocorasick.Automaton()
        table: dict[str, list[TermSpec]] = {}
        for forms, cls, severity in entries:
            for raw in forms.split(","):
                if not raw.strip():
                    continue
                form, left, right, upper = _parse_form(raw)
                key = _key(form) if squeezed else normalize(form).text
                runs = _runs(form) if squeezed else ()
                spec = TermSpec(form, cls, severity, left, right, upper, len(key), runs)
                table.setdefault(key, []).append(spec)
        for key, specs in table.items():
            self._automaton.add_word(key, tuple(specs))
        self._automaton.make_automaton()
        self.size = len(table)

    def scan(self, text: str) -> list[tuple[TermSpec, int, int]]:
        """(spec, start, end) in ``text`` whose word boundaries fit the spec."""
        out: list[tuple[TermSpec, int, int]] = []
        if not self.size:
            return out
        n = len(text)
        for end_index, specs in self._automaton.iter(text):
            end = end_index + 1
            for spec in specs:
                start = end - spec.key_length
                if not spec.left_open and start > 0 and text[start - 1].isalpha():
                    continue
                if not spec.right_open and end < n and text[end].isalpha():
                    continue
                out.append((spec, start, end))
        return out


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return start, end


def _read_lines(name: str) -> list[str]:
    data = resources.files("kanalvakt.moderation.lexicon").joinpath(name).read_text("utf-8")
    return [
        line.rstrip("\n") for line in data.splitlines() if line.strip() and not line.startswith("#")
    ]


@dataclass(frozen=True, slots=True)
class TermEntry:
    """One line of ``terms.tsv``: comma-separated forms, class, severity, source.
    ``key`` (first form and class) names the line across policy versions."""

    key: str
    forms: str
    cls: str
    severity: int
    source: str = ""
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class AllowEntry:
    """One line of ``allow.txt``: comma-separated forms and an optional comment."""

    key: str
    forms: str
    comment: str = ""
    enabled: bool = True


def term_key(forms: str, cls: str) -> str:
    return f"{forms.split(',')[0].strip()}|{cls}"


def allow_key(forms: str) -> str:
    return forms.split(",")[0].strip()


@lru_cache(maxsize=1)
def shipped_entries() -> tuple[tuple[TermEntry, ...], tuple[AllowEntry, ...]]:
    """The lexicon files as entries (policy version 1's lexicon)."""
    terms = []
    for line in _read_lines("terms.tsv"):
        forms, cls, severity, *rest = line.split("\t")
        terms.append(TermEntry(term_key(forms, cls), forms, cls, int(severity), "".join(rest[:1])))
    allow = []
    for line in _read_lines("allow.txt"):
        forms, _, comment = line.partition("#")
        if forms.strip():
            allow.append(AllowEntry(allow_key(forms), forms.strip(), comment.strip()))
    return tuple(terms), tuple(allow)


class Lexicon:
    """The compiled matchers of one lexicon; the shipped files unless entries are given."""

    def __init__(self, terms=None, allow=None) -> None:
        if terms is None or allow is None:
            shipped_terms, shipped_allow = shipped_entries()
            terms = shipped_terms if terms is None else terms
            allow = shipped_allow if allow is None else allow
        entries = [(t.forms, t.cls, t.severity) for t in terms if t.enabled]
        self.terms = Matcher(entries)
        self.allow = Matcher([(a.forms, "allow", 0) for a in allow if a.enabled], squeezed=False)
        self.classes = sorted({cls for _, cls, _ in entries})

    def find(self, norm: Normalized) -> list[TermHit]:
        text = norm.text
        squeezed, index = squeeze(norm)
        raw = []
        bounds = (*index, len(text))
        for spec, s_start, s_end in self.terms.scan(squeezed):
            # The text may double a letter the form has single ("jävvla"), never the
            # reverse: "porr" must not match the "por" of "rapport".
            if any(
                bounds[s_start + k + 1] - bounds[s_start + k] < need
                for k, need in enumerate(spec.runs)
            ):
                continue
            start = bounds[s_start]
            end = bounds[s_end]
            if spec.upper_only and not norm.original_slice(start, end).isupper():
                continue
            raw.append((spec, start, end))
        raw.extend(self._masked(text))
        if not raw:
            return []
        allowed = [(a, b) for _, a, b in self.allow.scan(text)]
        hits = []
        for spec, start, end in raw:
            if any(a <= start and end <= b for a, b in allowed):
                continue
            t_start, t_end = _token_bounds(text, start, end)
            hits.append(
                TermHit(spec.cls, spec.form, spec.severity, start, end, text[t_start:t_end])
            )
        return hits

    def _masked(self, text: str) -> list[tuple[TermSpec, int, int]]:
        """Terms hidden behind "*" (f*n, j*vla): try likely letters in the gaps."""
        if "*" not in text and "#" not in text and "%" not in text:
            return []
        out = []
        for m in _MASKED_TOKEN.finditer(text):
            token = m.group()
            masks = len(_MASK_CHARS.findall(token))
            letters = len(token) - masks
            if masks > _MAX_MASKS or letters < 2 or not token[0].isalpha():
                continue
            found: dict[str, TermSpec] = {}
            for guess in itertools.product(_MASK_GUESSES, repeat=masks):
                letters_iter = iter(guess)
                candidate = _MASK_CHARS.sub(lambda _m, it=letters_iter: next(it), token)
                key = _key(candidate)
                for spec, _start, _end in self.terms.scan(key):
                    found.setdefault(spec.cls, spec)
            for spec in found.values():
                out.append((spec, m.start(), m.end()))
        return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon (the default policy's)."""
    return Lexicon()


# Compiled lexicons of edited policy versions, by the digest of their content. Each
# worker process compiles a version once, the first time it screens with it.
_COMPILED: OrderedDict[str, Lexicon] = OrderedDict()
_COMPILED_MAX = 4


def compiled_lexicon(digest: str, build) -> Lexicon:
    """The Lexicon for ``digest``, compiled by ``build()`` (-> Lexicon) on a miss."""
    found = _COMPILED.get(digest)
    if found is None:
        found = _COMPILED[digest] = build()
        while len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.popitem(last=False)
    else:
        _COMPILED.move_to_end(digest)
    return found


def find_terms(norm: Normalized, lex: Lexicon | None = None) -> list[TermHit]:
    return (lex or lexicon()).find(norm)
