"""Personal attacks, insults and unfounded accusations of crime (R4.2a, ``defamation_insult``).

An insulting word counts only when the sentence aims it at someone: the reader
("din idiot", "du är ..."), a named person, a role ("rektorn", "han på bygglov"),
or a body of people ("hela kommunstyrelsen"). "Jävla idioter som inte kan köra" about
unknown drivers is profanity, not an attack on a person; "beslutet är dumt" judges a
decision and passes (R3.4: criticism is never removable).
"""

from __future__ import annotations

import re

from .base import DEFAMATION_INSULT, Flag, Gated, ScreenContext, merge_spans
from .document import Document, analyse

_ALL_TARGETS = frozenset({"second", "plural", "third", "name", "role", "body"})
_NAMED = frozenset({"name", "role"})
_PERSON_TARGETS = frozenset({"second", "third", "name", "role", "body"})
# Frames that turn an adjective into a judgement of a person.
_ADJECTIVE_FRAME = re.compile(
    r"(?:\b(?:du|ni|han|hon|hen|\w+n|\w+et) (?:är|e|va|verkar|var) (?:\w+ ){0,3}"
    r"|\b(?:din|ditt|dina|er|era|en|ett|så|sån|sådan|hur) (?:\w+ ){0,2}"
    r"|\bär (?:ju |helt |så |bara |fan |jävligt |totalt |verkligen |en |ett )*)$"
)
# An obscene word used as a name for someone: "din fitta", "du är ett as".
_VOCATIVE = re.compile(r"\b(?:din|ditt|dina|du är en|du är ett|ni är|era) (?:\w+ )?$")
_SELF = re.compile(r"\b(?:jag|vi) (?:är|var|känner mig) (?:\w+ ){0,2}$")
_DEMEANING = Gated(
    "ingen frågade|ingen bad om|ingen bryr|håll|stäng|skriver som|tillbaka|tanke|kan inte ens"
    "|lär dig|hur dum|klok|skaffa|som du|du är|total|fullständig|helvete",
    r"\bingen (?:frågade|bad om|bryr sig om) (?:dig|dej|vad du|din)"
    r"|\bhåll (?:käften|truten|klaffen|tyst|mun)\b|\bstäng (?:käften|truten)\b"
    r"|\bdu skriver som (?:en|ett) \w+|\bgå tillbaka till (?:lågstadiet|skolan|dagis|förskolan"
    r"|mellanstadiet)"
    r"|\bhar du (?:nånsin|någonsin|ens) haft en (?:egen )?tanke"
    r"|\bdu kan inte ens (?:stava|läsa|skriva|räkna)|\blär dig (?:stava|läsa|skriva)"
    r"|\bhur dum får man vara|\b(?:du|ni) är inte (?:klok|kloka|riktigt klok)\b"
    r"|\bskaffa (?:ett|dig ett) liv\b|\bfolk som du\b|\bsådana som du\b|\bsånna som du\b"
    r"|\bdu är (?:så |helt |bara )?(?:patetisk|värdelös|pinsam|ful|äcklig|ett skämt|en skam)"
    r"|\b(?:total|totala|fullständig) (?:nolla|nollan|idiot)"
    r"|\bdra åt helvete\b|\bhåll (?:dig|er) till (?:bakning|köket|disken|spisen|barnen|sminket"
    r"|\w+en)\b",
)
_ACCUSATION_FRAME = re.compile(
    r"\b(?:tar|tog|har|hade|brukar|ska ha|lär ha)\s(?:\w+\s){0,4}$|\b(?:är|e)\s(?:\w+\s){0,3}$"
    r"|\b(?:det är|det e)\s(?:\w+\s)?$|\bstyrs av\s(?:\w+\s){0,3}$"
)
_REPORTED = re.compile(
    r"\b(?:kallade|kallar|sa|sade|skrev|fick höra|ropade|stod det)\b[^.!?]{0,40}['\"”“]"
)


def _reported_speech(doc: Document, pos: int) -> bool:
    """True if ``pos`` is inside a quotation that the writer reports to condemn it."""
    text = doc.text
    before = text[max(0, pos - 60) : pos]
    quotes = sum(before.count(q) for q in "'\"”“")
    return quotes % 2 == 1 and bool(_REPORTED.search(before))


def _aimed(doc: Document, start: int, kinds: frozenset[str]):
    s_start, s_end = doc.sentence_of(start)
    return doc.targets_in(s_start, s_end, kinds)


def detect(doc: Document, context: ScreenContext | None = None) -> list[Flag]:
    text = doc.text
    evidence: list[tuple[int, int]] = []
    rules: list[str] = []
    severity = 0

    for hit in doc.terms("insult", "sexist_slur"):
        if _reported_speech(doc, hit.start) or _SELF.search(
            text[max(0, hit.start - 40) : hit.start]
        ):
            continue
        targets = _aimed(doc, hit.start, _ALL_TARGETS)
        if targets:
            evidence.append(doc.span(hit.start, hit.end))
            evidence.extend(doc.span(t.start, t.end) for t in targets[:2])
            rules.append("insult.aimed_at_person")
            severity = max(severity, 2)

    for hit in doc.terms("obscene", "swear"):
        if _VOCATIVE.search(text[max(0, hit.start - 30) : hit.start]):
            evidence.append(doc.span(hit.start, hit.end))
            rules.append("insult.aimed_at_person")
            severity = max(severity, 2)

    for hit in doc.terms("insult_adj"):
        before = text[max(0, hit.start - 50) : hit.start]
        if not _ADJECTIVE_FRAME.search(before) or _SELF.search(before):
            continue
        targets = _aimed(doc, hit.start, _PERSON_TARGETS)
        if targets:
            evidence.append(doc.span(hit.start, hit.end))
            evidence.extend(doc.span(t.start, t.end) for t in targets[:2])
            rules.append("insult.degrading_adjective")
            severity = max(severity, 1)

    for m in _DEMEANING.finditer(text):
        evidence.append(doc.span(*m.span()))
        rules.append("insult.demeaning_phrase")
        severity = max(severity, 2)

    for hit in doc.terms("accusation", "accusation_verb"):
        before = text[max(0, hit.start - 40) : hit.start]
        # "Rektorn har förfalskat ...", "Karin tar mutor": the accused right before the crime.
        named_before = doc.targets_in(max(0, hit.start - 30), hit.start, _NAMED)
        if not _ACCUSATION_FRAME.search(before) and not named_before:
            continue
        targets = _aimed(doc, hit.start, _PERSON_TARGETS - {"body"})
        if targets:
            evidence.append(doc.span(hit.start, hit.end))
            evidence.extend(doc.span(t.start, t.end) for t in targets[:2])
            rules.append("insult.crime_accusation")
            severity = max(severity, 2)

    if not rules:
        return []
    rule = rules[0]
    explanation = {
        "insult.aimed_at_person": "Kommentaren förolämpar en person med nedsättande ord.",
        "insult.degrading_adjective": "Kommentaren nedvärderar en person.",
        "insult.demeaning_phrase": "Kommentaren är ett personligt angrepp på en annan användare.",
        "insult.crime_accusation": "Kommentaren anklagar en identifierbar person för brott "
        "utan stöd (möjligt förtal).",
    }[rule]
    score = min(1.0, 0.7 + 0.1 * len(set(rules)) + 0.05 * severity)
    return [Flag(DEFAMATION_INSULT, score, merge_spans(evidence), rule, explanation, severity)]


def screen(text: str, context: ScreenContext | None = None) -> list[Flag]:
    return detect(analyse(text), context)
