"""Swedish personnummer and samordningsnummer in running text (R7.6).

A candidate is 6 or 8 digits of date, an optional "-" or "+", and 4 digits, not
glued to other digits. It is reported only if the date exists (for a
samordningsnummer only the ranges: day 60-91, month 00-12), is
not in the future, the birth number is not 000, and the Luhn check digit over the
10 short digits is right. Numbers that a word before them calls an
invoice, OCR, order, customer or reference number, or a phone number, are left out
unless "personnummer" is said too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_CANDIDATE = re.compile(r"(?<![\d+\-/.,])((?:18|19|20)?\d{6})([-+]?)(\d{4})(?![\d\-/]|[.,]\d)")
_NOT_A_PERSON = re.compile(
    r"(?:faktura|ocr|order|kund|avi|referens|ref|ärende|serie|anläggnings|artikel|konto|bankgiro"
    r"|plusgiro|bg|pg|objekt|mätar|abonnemang|avtal|bokning|beställning|kvitto|lägenhets"
    r"|fastighets|organisations|org|tel|telefon|mobil|nummer till|ring|sms)[\w-]*\.?:?"
    r"(?:\s+\S+){0,3}\s*$",
    re.IGNORECASE,
)
_SAYS_PERSONNUMMER = re.compile(r"person\s*n(?:umme)?r|pnr|samordningsn|personbevis", re.IGNORECASE)
_CONTEXT_BEFORE = 40
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class IdNumber:
    start: int
    end: int
    digits: str  # the 10 short digits
    coordination: bool


def luhn_ok(ten_digits: str) -> bool:
    total = 0
    for i, ch in enumerate(ten_digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _birth_date(date_digits: str, sep: str, today: dt.date) -> tuple[dt.date, bool] | None:
    """The date of birth and whether it is a samordningsnummer, or None if impossible."""
    if len(date_digits) == 8:
        year, rest = int(date_digits[:4]), date_digits[4:]
    else:
        yy, rest = int(date_digits[:2]), date_digits[2:]
        # Short form: the most recent year ending in yy; "+" means 100 years or older.
        year = today.year - (today.year - yy) % 100 - (100 if sep == "+" else 0)
        if year > today.year:
            year -= 100
    month, day = int(rest[:2]), int(rest[2:4])
    coordination = day >= 60
    if coordination:
        day -= 60
        # Skatteverket issues samordningsnummer with month or day 00 when the date of
        # birth is unknown, and does not check the day against the month (its own
        # test numbers include 30 February): only the ranges are checked.
        if not 0 <= month <= 12 or not 0 <= day <= 31:
            return None
        month, day = max(month, 1), 1
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return None
    if born > today:
        return None
    return born, coordination


def is_valid(number: str, today: dt.date | None = None) -> bool:
    """True for a valid personnummer or samordningsnummer in any usual format."""
    m = _CANDIDATE.fullmatch(number.strip())
    return bool(m) and _validate(m, today or dt.date.today()) is not None


def _validate(m: re.Match[str], today: dt.date) -> IdNumber | None:
    date_digits, sep, tail = m.group(1), m.group(2), m.group(3)
    parsed = _birth_date(date_digits, sep, today)
    if parsed is None:
        return None
    ten = date_digits[-6:] + tail
    if tail[:3] == "000" or not luhn_ok(ten):  # birth number 000 is never issued
        return None
    return IdNumber(m.start(), m.end(), ten, parsed[1])


def find(text: str, today: dt.date | None = None) -> list[IdNumber]:
    """Valid personnummer/samordningsnummer in ``text`` (positions in ``text``)."""
    if not _DIGIT.search(text):
        return []
    today = today or dt.date.today()
    out = []
    for m in _CANDIDATE.finditer(text):
        found = _validate(m, today)
        if found is None:
            continue
        before = text[max(0, m.start() - _CONTEXT_BEFORE) : m.start()]
        if _NOT_A_PERSON.search(before) and not _SAYS_PERSONNUMMER.search(before):
            continue
        out.append(found)
    return out
