"""Phone numbers, street addresses and references to a specific person.

Shared by the confidential-data detector (R7.6) and the harassment detector
(publishing someone's number or address so that others go after them).
All positions are in the ORIGINAL text, which these patterns read directly
(capital letters matter for street names).
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from .base import Span

_DIGIT = re.compile(r"\d")
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+])(?:\+46|0046|0)[\s-]?(?:\(0\)\s?)?\d{1,3}(?:[\s-]?\d){4,8}(?![\d])"
)
_STREET = re.compile(
    r"\b[A-ZÅÄÖ][a-zåäöé]+(?:gatan|vägen|stigen|gränd|gränden|backen|torget|allén|platsen|leden"
    r"|slingan|stråket|plan|väg|gata)\b(?:\s+(\d{1,3}\s?[A-Za-z]?)\b)?"
)
_STREET_HINT = re.compile(
    r"gatan|vägen|stigen|gränd|backen|torget|allén|platsen|leden|slingan|stråket|plan\b|väg\b|gata\b"
)
# A specific, identifiable other person (not the writer, not a whole group). The
# lookahead skips words that cannot end in one of the role words (all end in "n")
# before re backtracks through every split of the word.
THIRD_PERSON = re.compile(
    r"\b(?:han|hon|hen|honom|henne|hans|hennes|hens|grannens|grannen|min granne|mina grannar"
    r"|(?:min|mitt|mina|vår|vårt) (?:\w+ )?(?:granne|kollega|mamma|pappa|mor|far|syster|bror"
    r"|son|dotter|man|fru|sambo|vän|kompis|farmor|mormor|farfar|morfar|moster|faster|morbror"
    r"|farbror|kusin|svärmor|svärfar|barn|barnbarn|elev|chef)"
    r"|(?=[a-zåäö]*n\b)[a-zåäö]*(?:läraren|chefen|rektorn|eleven|killen|tjejen|kvinnan|mannen"
    r"|hyresgästen|pojken|flickan|sekreteraren"
    r"|handläggaren|assistenten|pedagogen|förskolläraren|ledaren|tränaren)|i \d[a-f])\b",
    re.IGNORECASE,
)
FIRST_PERSON_SUBJECT = re.compile(
    r"\b(?:jag|själv|mig)\b.{0,25}?\b(?:är|har|fick|blev|hade|lider|var|mår|tar)\b|\bsom \w+ "
    r"(?:uppskattar|tycker|vet) jag\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _phone_is_valid(raw: str) -> bool:
    try:
        parsed = phonenumbers.parse(raw, "SE")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(parsed) and phonenumbers.is_valid_number(parsed)


def phone_numbers(text: str) -> list[Span]:
    """Swedish phone numbers (validated with libphonenumber)."""
    return list(_phone_spans(text))


# Only the last text: several detector families ask about the same comment in turn.
@lru_cache(maxsize=1)
def _phone_spans(text: str) -> tuple[Span, ...]:
    if not _DIGIT.search(text):
        return ()
    out = []
    for m in _PHONE_CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) < 7:
            continue
        if _phone_is_valid(m.group()):
            out.append(m.span())
    return tuple(out)


def street_addresses(text: str, *, numbered_only: bool = False) -> list[Span]:
    """Street names, with the house number when given ("Storgatan 19")."""
    out: list[Span] = []
    if not _STREET_HINT.search(text):
        return out
    for m in _STREET.finditer(text):
        if numbered_only and not m.group(1):
            continue
        out.append(m.span())
    return out


def has_house_number(text: str, span: Span) -> bool:
    return any(ch.isdigit() for ch in text[span[0] : span[1]])
