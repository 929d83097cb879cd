"""Confidential and personal data (R7.6, ``confidential``).

- personnummer / samordningsnummer with a valid date and check digit;
- a third person's phone number or home address;
- an identifiable third person together with health, diagnosis, social-services or
  protected-identity details ("Läraren i 5B är sjukskriven för depression").

What people say about themselves ("Jag har haft en stroke") is not flagged, except
their own personnummer, which must not be public either.
"""

from __future__ import annotations

import re

from . import personnummer, pii
from .base import CONFIDENTIAL, Flag, ScreenContext
from .document import Document, analyse

_OWN_PHONE = re.compile(
    r"\b(?:mitt|vårt) (?:nummer|telefonnummer|mobilnummer)\b|\bring (?:mig|oss)\b"
    r"|\b(?:sms|whatsapp|kontakta|swish|offert|köper|säljer|boka)\w*",
    re.IGNORECASE,
)
_LIVES_AT = re.compile(
    r"\b(?:bor|boende|flyttat|flyttade|flyttar|hyresgäst\w*|adress\w*|hem hos|hemma hos)\b",
    re.IGNORECASE,
)
_OWN_ADDRESS = re.compile(
    r"\b(?:jag|vi) (?:bor|har flyttat|flyttade)\b|\b(?:min|vår) adress\b", re.I
)
_PROTECTED = re.compile(r"skyddad(?:e)? (?:identitet|personuppgifter|adress)|kvarskriv", re.I)


def _flag(rule: str, spans: list[tuple[int, int]], explanation: str, severity: int, score: float):
    return Flag(CONFIDENTIAL, score, tuple(sorted(spans)), rule, explanation, severity)


def _identifiable_person(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Spans (original) that point at one specific other person in a normalised range."""
    spans = [doc.span(t.start, t.end) for t in doc.targets_in(start, end, frozenset({"name"}))]
    a, b = doc.span(start, end)
    spans += [(a + m.start(), a + m.end()) for m in pii.THIRD_PERSON.finditer(doc.original[a:b])]
    return spans


def detect(doc: Document, context: ScreenContext | None = None) -> list[Flag]:
    flags = []
    original = doc.original
    numbers = personnummer.find(original)
    if numbers:
        kinds = {"samordningsnummer" if n.coordination else "personnummer" for n in numbers}
        flags.append(
            _flag(
                "confidential.personnummer",
                [(n.start, n.end) for n in numbers],
                f"Kommentaren innehåller ett giltigt {' och '.join(sorted(kinds))}.",
                3,
                0.97,
            )
        )
    taken = [(n.start, n.end) for n in numbers]

    phones = [s for s in pii.phone_numbers(original) if not any(a <= s[0] < b for a, b in taken)]
    if phones and not _OWN_PHONE.search(original):
        people = _identifiable_person(doc, 0, len(doc.text))
        if people:
            flags.append(
                _flag(
                    "confidential.third_party_phone",
                    phones + people[:2],
                    "Kommentaren sprider en annan persons telefonnummer.",
                    2,
                    0.85,
                )
            )

    addresses = pii.street_addresses(original)
    if addresses and not _OWN_ADDRESS.search(original):
        numbered = [s for s in addresses if pii.has_house_number(original, s)]
        people = _identifiable_person(doc, 0, len(doc.text))
        lives = _LIVES_AT.search(original)
        if people and (numbered or lives):
            flags.append(
                _flag(
                    "confidential.third_party_address",
                    (numbered or addresses) + people[:2],
                    "Kommentaren pekar ut var en enskild person bor.",
                    2,
                    0.8,
                )
            )

    sensitive = doc.terms("health", "social")
    if sensitive or (
        ("skydd" in doc.text or "kvarskriv" in doc.text) and _PROTECTED.search(original)
    ):
        flags.extend(_sensitive_details(doc, sensitive, addresses))
    return flags


def _sensitive_details(doc: Document, sensitive, addresses) -> list[Flag]:
    protected = list(_PROTECTED.finditer(doc.original))
    for hit in sensitive:
        start, end = doc.sentence_of(hit.start)
        a, b = doc.span(start, end)
        sentence = doc.original[a:b]
        people = _identifiable_person(doc, start, end)
        people += [s for s in addresses if a <= s[0] < b]
        if not people and protected:
            people = _identifiable_person(doc, 0, len(doc.text))
        if not people:
            continue
        if (
            pii.FIRST_PERSON_SUBJECT.search(sentence)
            and not any(t.kind == "name" for t in doc.targets_in(start, end))
            and not pii.THIRD_PERSON.search(sentence)
        ):
            continue
        spans = [doc.span(h.start, h.end) for h in sensitive] + people[:3]
        kind = "social" if hit.cls == "social" else "health"
        return [
            _flag(
                f"confidential.third_party_{kind}",
                spans,
                "Kommentaren röjer uppgifter om en identifierbar persons "
                + ("kontakt med socialtjänsten." if kind == "social" else "hälsa."),
                3,
                0.85,
            )
        ]
    if protected:
        people = _identifiable_person(doc, 0, len(doc.text))
        if people:
            return [
                _flag(
                    "confidential.protected_identity",
                    [m.span() for m in protected] + people[:2],
                    "Kommentaren röjer att en identifierbar person har skyddade personuppgifter.",
                    3,
                    0.9,
                )
            ]
    return []


def screen(text: str, context: ScreenContext | None = None) -> list[Flag]:
    return detect(analyse(text), context)
