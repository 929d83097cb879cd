"""Hate against groups, sexist statements and harassment (R4.2b, ``hate_harassment``).

- slurs for ethnic, religious, sexual or disabled groups, and sexist slurs;
- a group word together with a dehumanising or exclusionary statement
  ("X ska inte få ...", "ut med dem", "är en pest", "lever på bidrag");
- sexualising remarks about a person, unwanted advances;
- targeted harassment: hounding someone, or publishing their number or address
  with a call to go after them.
Talking about a group ("kvotflyktingar", "tiggare") is never enough by itself.
"""

from __future__ import annotations

import re

from . import pii, threats
from .base import HATE_HARASSMENT, Flag, Gated, ScreenContext, merge_spans
from .document import Document, analyse
from .insults import _reported_speech

_HOSTILE = re.compile(
    r"\b(?:ska|skall|borde|bör|måste) (?:inte|aldrig) (?:få|ha|bo|vara|jobba|arbeta|komma|släppas)"
    r"|\b(?:ska|skall|borde|bör|måste) (?:\w+ )?(?:förbjudas|utvisas|deporteras|kastas ut|skickas"
    r" \w+|bort|ut|gå i egna|hållas borta|steriliseras|utrotas|gasas|skjutas)"
    r"|\bförbjud\w*|\but med (?:dem|dom|alla|er|sådana|sånna|\w+na)\b|\but ur\b"
    r"|\bskicka (?:\w+ )?(?:tillbaka|hem|ut|iväg)\b|\bkasta ut\b|\bvill inte ha (?:fler|några|hit"
    r"|dem|dom)"
    r"|\bden enda bra\b|\bförtur\b|\bsitter i (?:kommunfullmäktige|fullmäktige|regeringen|styret"
    r"|riksdagen|kommunen|nämnden)|\bkolla (?:bara )?(?:på )?namnen\b|\bhör (?:inte )?hemma\b"
    r"|\bstyr (?:allt|världen|media|medierna|kommunen|landet|sverige)\b|\bligger bakom\b"
    r"|\bär som en dålig\b|\b(?:är|e) (?:alltid|bara|allihop|alla) \w+|\b(?:är|e) (?:ett"
    r"|en) \w*(?:pest|plåga|cancer)"
    r"|\bdet vet ju alla\b|\bvarenda en\b"
)
_BACK_REFERENCE = re.compile(r"\b(?:de|dem|dom|sådana|sånna|såna|sådant)\b")
_GROUP_SWEAR = re.compile(r"(?:jävlar|jävla|as|svin|pack|avskum|parasiter|packet)\b")
_SEXUAL = Gated(
    "visa|snygg|🍑|🍆|skicka|kjol|klänning|kläder|topp|byx|är så|skrivit|ser ut som|du som är|håll"
    "|kvinnor|tjejer|brudar|fruntimmer",
    # Alternatives that start with \b are grouped under one \b: re tests a mix of
    # alternatives one by one at every position (the same in the patterns below).
    r"\b(?:visa (?:lite |mer |lite mer )?(?:hud|brösten|rumpan|tuttarna)\b"
    r"|borde visa (?:lite )?mer(?=[\s,.!?😉]|$)(?! \w+)"
    r"|snygga (?:rumpor|rumpa|bröst|pattar|tuttar|lår|ben)\b)|🍑|🍆"
    r"|\b(?:skicka (?:\w+ )?(?:bilder|bild|foton|nakenbilder|nudes) (?:på|av) (?:dig|henne|honom"
    r"|hen)"
    r"|(?:kortare|tightare|mindre|urringad\w*) (?:kjol|kjolar|klänning|kläder|topp|toppar"
    r"|byxor)\b"
    r"|är så (?:sexig|het|kåt|knullbar)\b"
    r"|har skrivit till dig \w+ gånger|du är så (?:söt|sexig|het|snygg)\b.{0,60}\b(?:skicka"
    r"|bilder|träffas|dig själv)"
    r"|ser ut som (?:en |ett )?(?:riktig |billig |billiga )?(?:porrstjärna|hora|horor|slampa"
    r"|slampor|luder)"
    r"|du som är (?:tjej|kvinna|brud|tös)\b.{0,40}\b(?:ska|borde|bör|håll)"
    r"|håll (?:dig|er|sig) till (?:bakning|köket|disken|spisen|barnen|sminket)"
    r"|(?:kvinnor|tjejer|brudar|fruntimmer) (?:ska|borde|bör|kan) (?:inte|aldrig|bara|hålla)\b)",
)
_HOUNDING = Gated(
    "skriva om|tills|förstör|hänga ut",
    r"\bskriva om (?:honom|henne|hen|dig|er|\w+) i (?:varje|alla) \w+"
    r"|\btills (?:han|hon|hen|du|ni) (?:flyttar|slutar|försvinner|ger upp|tar bort|lägger av)"
    r"|\b(?:förstöra|förstör) (?:livet|hans liv|hennes liv|ditt liv) för"
    r"|\bhänga ut (?:honom|henne|hen|dig)",
)
# Only calls to go after someone; "kan ni ringa min granne?" asks for help.
_CALL_TO_GO_AFTER = Gated(
    "tycker|åk|protest|hälsa på|knacka|skäll|ge h|säg till|bomba",
    r"\b(?:säg|säga|tala om|berätta|visa) (?:vad|hur) ni tycker|\båk(?:a)? (?:dit|hem till)\b"
    r"|\bprotestera\b|\bhälsa på (?:honom|henne|hen)\b|\bknacka på\b|\bskäll\w* på\b"
    r"|\bge (?:honom|henne|hen) (?:en|ett|vad)\b|\bsäg till (?:honom|henne|hen)\b|\bbomba\w*\b",
)


def _group_hostility(doc: Document) -> list[tuple[int, int]]:
    groups = [h for h in doc.terms("group") if not _reported_speech(doc, h.start)]
    if not groups:
        return []
    evidence = []
    sentences = doc.sentences
    for idx, (start, end) in enumerate(sentences):
        sentence = doc.text[start:end]
        hostile = [m.span() for m in _HOSTILE.finditer(sentence)]
        hostile = [(start + a, start + b) for a, b in hostile]
        hostile += [(h.start, h.end) for h in doc.terms("dehuman") if start <= h.start < end]
        if not hostile:
            continue
        here = [g for g in groups if start <= g.start < end]
        if not here and idx > 0 and _BACK_REFERENCE.search(sentence):
            prev_start, prev_end = sentences[idx - 1]
            here = [g for g in groups if prev_start <= g.start < prev_end]
        if here:
            evidence += [doc.span(g.start, g.end) for g in here] + [doc.span(*h) for h in hostile]
    text = doc.text
    for pattern in (threats.THREAT, threats.IMPERATIVE, threats.INCITEMENT):
        for m in pattern.finditer(text):  # "ge dem en spark" about beggars
            evidence += [doc.span(g.start, g.end) for g in groups] + [doc.span(*m.span())]
    for g in groups:  # "svarta jävlar", "invandrarpack"
        after = doc.text[g.end : g.end + 12].lstrip()
        if _GROUP_SWEAR.match(after):
            evidence.append(doc.span(g.start, g.end + 1 + len(after.split()[0])))
    return evidence


def detect(doc: Document, context: ScreenContext | None = None) -> list[Flag]:
    findings: list[tuple[str, list[tuple[int, int]], int]] = []
    slurs = [h for h in doc.terms("slur") if not _reported_speech(doc, h.start)]
    if slurs:
        findings.append(("hate.slur", [doc.span(h.start, h.end) for h in slurs], 3))
    sexist = [h for h in doc.terms("sexist_slur") if not _reported_speech(doc, h.start)]
    if sexist:
        findings.append(("hate.sexist_slur", [doc.span(h.start, h.end) for h in sexist], 2))
    group = _group_hostility(doc)
    if group:
        findings.append(("hate.group_hostility", group, 3))
    text = doc.text
    sexual = [doc.span(*m.span()) for m in _SEXUAL.finditer(text)]
    for hit in doc.terms("porn"):  # porn about a real, identifiable person
        s_start, s_end = doc.sentence_of(hit.start)
        if doc.targets_in(s_start, s_end, frozenset({"name", "role", "third"})):
            sexual.append(doc.span(hit.start, hit.end))
    if sexual:
        findings.append(("hate.sexual_harassment", sexual, 2))
    hounding = [doc.span(*m.span()) for m in _HOUNDING.finditer(text)]
    if hounding:
        findings.append(("hate.targeted_harassment", hounding, 2))
    calls = list(_CALL_TO_GO_AFTER.finditer(text))
    if calls:
        exposed = pii.phone_numbers(doc.original) + pii.street_addresses(doc.original)
        if exposed:
            spans = exposed + [doc.span(*m.span()) for m in calls]
            findings.append(("hate.exposes_person", spans, 3))
    if not findings:
        return []
    rule, _, _ = findings[0]
    explanation = {
        "hate.slur": "Kommentaren använder ett nedsättande ord om en folkgrupp eller minoritet.",
        "hate.sexist_slur": "Kommentaren innehåller ett sexistiskt skällsord.",
        "hate.group_hostility": "Kommentaren uttrycker missaktning eller utestängning av en grupp.",
        "hate.sexual_harassment": "Kommentaren är sexistisk eller sexuellt trakasserande.",
        "hate.targeted_harassment": "Kommentaren trakasserar en utpekad person.",
        "hate.exposes_person": "Kommentaren sprider en persons kontaktuppgifter och uppmanar "
        "andra att söka upp personen.",
    }[rule]
    severity = max(s for _, _, s in findings)
    spans = merge_spans([s for _, ss, _ in findings for s in ss])
    score = min(1.0, 0.75 + 0.08 * len(findings))
    return [Flag(HATE_HARASSMENT, score, spans, rule, explanation, severity)]


def screen(text: str, context: ScreenContext | None = None) -> list[Flag]:
    return detect(analyse(text), context)
