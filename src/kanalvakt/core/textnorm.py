"""Normalisation of Swedish social-media text, with a map back to the original.

Detectors match on the normalised text but must point evidence at the text the
moderator sees, so every normalised character remembers the index of the
original character it came from (``Normalized.source``).

Steps, in order (each is skipped when it has nothing to do, which keeps the
common case of plain text fast):

1. Unicode: NFKC (fullwidth and "mathematical bold" letters), removal of
   zero-width and other format characters, foreign diacritics stripped
   (å ä ö é ü kept: they change the meaning of Swedish words) and Cyrillic or
   Greek look-alike letters mapped to Latin.
2. Case: lower case.
3. Leetspeak inside words: ``h0ra`` -> ``hora``, ``j4vla`` -> ``javla``.
4. Letters spaced or punctuated apart: ``f i t t a``, ``H-E-L-V-E-T-E``.
5. Elongation: three or more of the same letter become two (``jääävla`` ->
   ``jäävla``; matching tolerates extra doubling, see ``squeeze``).

``squeeze`` additionally collapses every double letter, so that a lexicon
matched in squeezed form also catches misspellings such as ``jävvla``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Normalized", "normalize", "squeeze"]

# Letters that look like Latin ones and are used to dodge filters.
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "ë", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ɡ": "g", "ո": "n", "ս": "u",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
}  # fmt: skip
_KEEP_DIACRITICS = frozenset("åäöéüÅÄÖÉÜ")
_ZERO_WIDTH = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                         "\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]")  # fmt: skip
# Characters that need the slow per-character pass; emoji and Swedish letters do not.
_FOREIGN_LATIN = "".join(
    chr(c) for c in range(0xC0, 0x250) if chr(c) not in _KEEP_DIACRITICS and chr(c).isalpha()
)
_NEEDS_UNICODE_PASS = re.compile(
    f"[{_FOREIGN_LATIN}\u0300-\u036f\u0370-\u03ff\u0400-\u052f\uff00-\uffef\U0001d400-\U0001d7ff]"
)

_LETTER_CLASS = r"[^\W\d_]"
# The same letters within Latin-1, spelled out: ``re`` tests a spelled-out class with
# one table look-up, ``[^\W\d_]`` with several Unicode-database calls per character.
_LATIN1_LETTER_CLASS = "[{}]".format(
    "".join(c for c in map(chr, range(256)) if re.fullmatch(_LETTER_CLASS, c))
)
_BEYOND_LATIN1 = re.compile(r"[^\x00-\xff]")


class _LetterPattern:
    r"""A regex over letters (``[^\W\d_]``) with a faster twin for Latin-1 text."""

    __slots__ = ("any", "latin1")

    def __init__(self, pattern: str) -> None:
        self.any = re.compile(pattern)
        self.latin1 = re.compile(pattern.replace(_LETTER_CLASS, _LATIN1_LETTER_CLASS))

    def on(self, latin1: bool) -> re.Pattern[str]:
        return self.latin1 if latin1 else self.any


def _is_latin1(text: str) -> bool:
    return text.isascii() or not _BEYOND_LATIN1.search(text)


_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
         "€": "e", "!": "i"}  # fmt: skip
# Test first: a letter and a leet digit, a leet character and a letter, or a leet
# symbol between letters. Written to start at the leet character, which is rare,
# so that re jumps from one to the next instead of trying every letter.
_HAS_LEET = _LetterPattern(
    r"[013457@$€!](?:(?<=[^\W\d_][013457])|(?<=[013457@$€])(?=[^\W\d_])"
    r"|(?<=[^\W\d_][@$€!])(?=[^\W\d_]))"
)
# Then whole tokens of letters, digits and leet symbols; only tokens with a letter next
# to a leet character reach the (Python) rewrite.
_TOKEN = _LetterPattern(
    r"[\w@$€!]*?(?:[^\W\d_][013457@$€!]|[013457@$€][^\W\d_])[\w@$€]*(?:![^\W\d_][\w@$€]*)*"
)
_SYMBOLS = frozenset("@$€!")
_LETTER = re.compile(r"[^\W\d_]")

# Three or more single letters separated by one space or punctuation mark,
# the same each time: "f i t t a", "H-E-L-V-E-T-E", "f.a.n".
_SPACED = _LetterPattern(
    r"(?<![^\W\d_])[^\W\d_](?:([ .\-_*·])[^\W\d_])(?:\1[^\W\d_]){1,}(?![^\W\d_])"
)
_ELONGATED = _LetterPattern(r"([^\W\d_])\1{2,}")
# "\1\1*" is "\1+" for which re sets up the repeat only after a second letter matched.
_DOUBLED = _LetterPattern(r"([^\W\d_])\1\1*")


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text; ``source[i]`` is the original index of ``text[i]``."""

    original: str
    text: str
    source: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` to a half-open span of ``original``."""
        if start >= end:
            pos = self.source[start] if start < len(self.source) else len(self.original)
            return pos, pos
        return self.source[start], self.source[end - 1] + 1

    def original_slice(self, start: int, end: int) -> str:
        a, b = self.original_span(start, end)
        return self.original[a:b]


def _rewrite(
    text: str,
    source: list[int],
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str]], list[tuple[str, int]]],
) -> tuple[str, list[int]]:
    """Rewrite matches of ``pattern``; ``replace`` yields (char, index-in-text) pairs."""
    parts: list[str] = []
    new_source: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        parts.append(text[last : m.start()])
        new_source.extend(source[last : m.start()])
        for ch, i in replace(m):
            parts.append(ch)
            new_source.append(source[i])
        last = m.end()
    if last == 0 and not parts:
        return text, source
    parts.append(text[last:])
    new_source.extend(source[last:])
    return "".join(parts), new_source


def _unicode_char(ch: str) -> str:
    mapped = _CONFUSABLES.get(ch.lower())
    if mapped is not None:
        return mapped
    if ch in _KEEP_DIACRITICS or ch.isascii():
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    if all(c in _KEEP_DIACRITICS or c.isascii() for c in folded):
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Recompose å ä ö from a base letter plus combining mark.
    return unicodedata.normalize("NFC", stripped) if stripped else folded


def _unicode_pass(text: str) -> tuple[str, list[int]]:
    """NFKC, look-alikes and zero-width removal, one original character at a time."""
    chars: list[str] = []
    source: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        j = i + 1
        # Keep a base letter with its combining marks together ("a" + U+0308 -> "ä").
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j]) if j > i + 1 else ch
        if _ZERO_WIDTH.match(ch) or unicodedata.category(ch) == "Cf":
            i = j
            continue
        for out_ch in "".join(_unicode_char(c) for c in cluster):
            chars.append(out_ch)
            source.append(i)
        i = j
    return "".join(chars), source


def _leet(m: re.Match[str]) -> list[tuple[str, int]]:
    run, base = m.group(), m.start()
    is_letter = [bool(_LETTER.match(c)) for c in run]
    letters = sum(is_letter)
    if letters < 2 or letters <= len(run) - letters:  # "5g", "b12", "2024" stay as they are
        return [(c, base + k) for k, c in enumerate(run)]
    out = []
    last = len(run) - 1
    for k, c in enumerate(run):
        left = k > 0 and is_letter[k - 1]
        right = k < last and is_letter[k + 1]
        # A digit needs one letter beside it, a symbol ("sh!t", "@dam") two.
        if c in _LEET and ((left and right) if c in _SYMBOLS else (left or right)):
            c = _LEET[c]
        out.append((c, base + k))
    return out


def _join_spaced(m: re.Match[str]) -> list[tuple[str, int]]:
    return [(c, m.start() + k) for k, c in enumerate(m.group()) if _LETTER.match(c)]


def _collapse(m: re.Match[str]) -> list[tuple[str, int]]:
    return [(m.group(1), m.start())]


def _collapse_to_two(m: re.Match[str]) -> list[tuple[str, int]]:
    return [(m.group(1), m.start()), (m.group(1), m.start() + 1)]


# (cheap gate, exact gate, pattern, replacement): the cheap gate rules out most texts.
_STEPS = (
    (re.compile(r"[013457@$€!]"), _HAS_LEET, _TOKEN, _leet),
    (re.compile(r"[ .\-_*·]\w[ .\-_*·]"), _SPACED, _SPACED, _join_spaced),
    (re.compile(r"(.)\1\1"), _ELONGATED, _ELONGATED, _collapse_to_two),
)


@lru_cache(maxsize=4096)
def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching; see the module docstring for the steps."""
    source: list[int] | None = None
    work = text
    if not text.isascii() and (
        _NEEDS_UNICODE_PASS.search(text) or not unicodedata.is_normalized("NFKC", text)
    ):
        work, source = _unicode_pass(text)
    elif not text.isascii() and _ZERO_WIDTH.search(text):
        work, source = _rewrite(text, list(range(len(text))), _ZERO_WIDTH, lambda m: [])
    lowered = work.lower()
    if len(lowered) != len(work):  # e.g. "İ": lower() would shift every offset
        lowered = "".join(c.lower()[0] for c in work)
    work = lowered
    latin1 = _is_latin1(work)  # the steps below only drop characters or write ASCII ones
    for cheap, gate, pattern, replace in _STEPS:
        if cheap.search(work) and gate.on(latin1).search(work):
            if source is None:
                source = list(range(len(work)))
            work, source = _rewrite(work, source, pattern.on(latin1), replace)
    return Normalized(text, work, tuple(source) if source is not None else tuple(range(len(work))))


def squeeze(norm: Normalized) -> tuple[str, tuple[int, ...]]:
    """Collapse doubled letters; returns the text and the index into ``norm.text``."""
    text = norm.text
    parts: list[str] = []
    index: list[int] = []
    last = 0
    for m in _DOUBLED.on(_is_latin1(text)).finditer(text):
        keep = m.start() + 1
        parts.append(text[last:keep])
        index.extend(range(last, keep))
        last = m.end()
    if not parts:
        return text, tuple(range(len(text)))
    parts.append(text[last:])
    index.extend(range(last, len(text)))
    return "".join(parts), tuple(index)
