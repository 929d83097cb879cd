"""Threats, incitement to crime and illegal sales (R4.2d, ``crime_incitement``).

- threats: a first-person intention to harm ("jag ska slå ihjäl ...", "vi hittar
  dig"), or veiled ones ("jag vet var du bor", "kommer inte gå säker");
- incitement: imperatives or "någon borde" with a crime ("bränn ner", "häng
  politikerna", "ta saken i egna händer", "lura Skatteverket");
- offers of drugs, weapons, forged documents, stolen goods or bribes. A sale is
  also advertising, so it is flagged ``commercial`` as well (R4.2g).
A political warning ("vi tar med oss det här till valet") is not a threat.
"""

from __future__ import annotations

import re

from .base import COMMERCIAL, CRIME_INCITEMENT, Flag, Gated, ScreenContext, merge_spans
from .document import Document, analyse

_HARM = (
    r"(?:slå ihjäl|ta livet av|döda|mörda|skjuta|knivhugga|hugga|skada|misshandla|spöa|banka"
    r"|krossa|spränga|bränna ner|bränna upp|tända eld på|sätta eld på|hämnas på|slå sönder"
    r"|klottra ner|klottra på|vandalisera|förstöra|ta sönder|sabotera"
    r"|göra (?:dig|er|honom|henne|hen) illa)"
)
_OBJECT = r"(?:dig|dej|er|honom|henne|hen|dem|dom|den där \w+|\w+n|\w+na)"
THREAT = Gated(
    "jag|ja |vi |säker|ska få|akta|passa|sista dag|död|ska dö|tänk på|synd om|hoppas|du vet",
    rf"\b(?:jag|ja|vi) (?:ska|skall|kommer att|kommer|tänker|lovar att|ska nog) (?:\w+ )?{_HARM}"
    rf"|\b(?:jag|ja|vi) (?:ska|skall|kommer att|kommer|tänker) (?:\w+ )?(?:ta|hitta|få tag på"
    "|leta upp"
    r"|söka upp|hälsa på|besöka|ge) (?:dig|dej|er|honom|henne|hen)\b(?! med)"
    r"|\b(?:vi|jag) (?:hittar|tar|får tag på|letar upp|vet var) (?:dig|dej|er|honom|henne|du bor"
    r"|ni bor)"
    r"|\bjag vet (?:var|vart|vilken skola|vilket dagis|vilken förskola) (?:du|din|ditt|dina|ni|er"
    r"|era|han|hon"
    r"|hans|hennes)|\b(?:jag|vi) vet var (?:\w+ ){0,2}(?:bor|går i skolan|jobbar|parkerar|sover)"
    r"|\b(?:jag|vi) kommer hem till (?:dig|dej|er|honom|henne)|\bdu vet vad som (?:händer|väntar)"
    r"|\b(?:inte|aldrig) (?:gå|vara|känna sig|känna dig) (?:\w+ )?säker"
    r"|\bska få (?:sin|sitt|sina|din|ditt|dina|er|ert|era) \w+ (?:i brand|sönder|förstörd|uppbränd)"
    r"|\b(?:akta|passa) (?:dig|er)\b|\bdin sista dag\b|\bdu (?:är|e) (?:ett )?död\w*\b"
    r"|\b(?:du|ni|han|hon) ska (?:dö|få stryk|få smaka|få sota|få betala)\b|\btänk på det innan\b"
    r"|\bdet vore synd om (?:något|nåt|det) hände|\bhoppas (?:du|ni|han|hon) (?:dör|blir våldtagen"
    r"|brinner|ruttnar)",
)
IMPERATIVE = Gated(
    "häng|bränn|spräng|skjut|döda|mörda|ihjäl|sönder|krossa|sabot|vandal|eld på|misshandl|lynch"
    "|stjäl|sno|plundr|knivhugg|klottr",
    r"(?:^|[.!?,:;]\s*|\bså\s|\bbara\s)(?:häng|bränn (?:\w+ )?(?:ner|upp)|spräng|skjut|döda|mörda"
    r"|slå ihjäl"
    r"|slå sönder|ta sönder|krossa|sabotera|vandalisera|tänd eld på|sätt eld på|misshandla|lyncha"
    r"|stjäl|sno|plundra|knivhugg|klottra (?:ner|på)|vandalisera)\b(?! med\b| upp\b| på\b)",
)
INCITEMENT = Gated(
    # The modal verbs only in " ska ", as the pattern has them: "ska" alone is in most comments.
    " borde | bör | ska | skulle | får | måste |låt oss|hot|ge |händer|lura|fejka|kommunens|kofot"
    "|bryt upp|dumpa|race|aldrig här|häng",
    rf"\b(?:nån|någon|ni|vi|folk|man|alla) (?:borde|bör|ska|skulle|får"
    rf"|måste) (?:\w+ )?(?:{_HARM[3:-1]}"
    r"|hänga|sabotera|ta sönder|lyncha|tända på)"
    r"|\blåt oss (?:\w+ )?(?:sabotera|bränna|spränga|sms:a hot|hota|krossa|förstöra|sno|stjäla"
    r"|ta sönder"
    r"|hänga|klottra|vandalisera|slå sönder|tända eld|plundra|misshandla)"
    r"|\b(?:sms:a|skicka|skriva) hot\w*|\bhot(?:a|elser) (?:alla|dem|dom|honom|henne|politikerna)"
    r"|\bge (?:dem|dom|honom|henne|hen|\w+na) (?:en )?(?:spark|smäll|omgång|stryk|käftsmäll)"
    r"|\bta (?:saken|lagen) i (?:egna|sina egna|våra egna) händer"
    r"|\blura (?:skatteverket|försäkringskassan|kommunen|csn|systemet|försäkringsbolaget)"
    r"|\bfejka (?:en )?(?:flytt|adress|sjukskrivning|intyg|skada|inbrott)"
    r"|\bta (?:\w+ ){0,3}från kommunens\b|\blås upp med (?:en )?kofot|\bbryt upp (?:låset|dörren)"
    r"|\bså kan vi dumpa\b|\bgatrace|\bstreet ?race|\b(?:snuten|polisen|snutarna) är aldrig här"
    r"|\bhäng (?:politikerna|dem|dom|honom|henne|alla|\w+na) ",
)
_OFFER = Gated(
    "köp|sälj|fixar|erbjud|langar|levere|leverans|till salu|av mig|snap|wickr|telegram|signal",
    r"(?:^|[.!?\n]\s*|\b(?:jag|vi) )(?:köp|köper|säljer|sälja|fixar|erbjuder|langar|levererar"
    r"|har till salu)\b"
    r"|\b(?:finns att köpa|till salu|av mig|snabb leverans|snap|wickr|telegram|signal)\b",
)
_ILLEGAL_ITEM = re.compile(
    r"\bkörkort utan prov|\bgaranterat i registret|\bstulna\b|\bstulen\b|\bstulet\b|\bstöldgods\b"
    r"|\bförbi kön\b|\bunder bordet\b|\bfalska? \w+"
    r"|\bfrån (?:\w+ )?(?:hemtjänstens|kommunens|jobbets|skolans|sjukhusets) (?:\w+ )?förråd"
)
_REPORT = re.compile(
    r"\b(?:folk|någon|nån|de|dom|man) (?:säljer|langar)|\bpolisanmäl|\bvarnar för\b"
)


def detect(doc: Document, context: ScreenContext | None = None) -> list[Flag]:
    text = doc.text
    found: list[tuple[str, list[tuple[int, int]], int]] = []
    threats = [doc.span(*m.span()) for m in THREAT.finditer(text)]
    if threats:
        found.append(("crime.threat", threats, 3))
    incite = [doc.span(*m.span()) for m in IMPERATIVE.finditer(text)]
    incite += [doc.span(*m.span()) for m in INCITEMENT.finditer(text)]
    if incite:
        found.append(("crime.incitement", incite, 3))
    voyeur = [h for h in doc.terms("porn") if h.form.startswith("tjuvfilma")]
    if voyeur:
        found.append(("crime.voyeurism", [doc.span(h.start, h.end) for h in voyeur], 3))

    flags: list[Flag] = []
    sale = _illegal_sale(doc)
    if sale:
        found.append(("crime.illegal_sale", sale, 3))
        flags.append(
            Flag(
                COMMERCIAL,
                0.85,
                merge_spans(sale),
                "commercial.illegal_offer",
                "Kommentaren är en säljannons (för olagliga varor eller tjänster).",
                2,
            )
        )
    if not found:
        return flags
    rule = found[0][0]
    explanation = {
        "crime.threat": "Kommentaren innehåller ett hot mot en person.",
        "crime.incitement": "Kommentaren uppmanar till brott.",
        "crime.voyeurism": "Kommentaren sprider smygfilmat material (brottsligt).",
        "crime.illegal_sale": "Kommentaren erbjuder olagliga varor eller tjänster.",
    }[rule]
    spans = merge_spans([s for _, ss, _ in found for s in ss])
    score = min(1.0, 0.8 + 0.07 * (len(found) - 1))
    flags.insert(0, Flag(CRIME_INCITEMENT, score, spans, rule, explanation, 3))
    return flags


def _illegal_sale(doc: Document) -> list[tuple[int, int]]:
    text = doc.text
    offers = list(_OFFER.finditer(text))
    if not offers or _REPORT.search(text):
        return []
    items = [doc.span(h.start, h.end) for h in doc.terms("drug", "weapon")]
    items += [doc.span(*m.span()) for m in _ILLEGAL_ITEM.finditer(text)]
    if not items:
        return []
    return items + [doc.span(*m.span()) for m in offers]


def screen(text: str, context: ScreenContext | None = None) -> list[Flag]:
    return detect(analyse(text), context)
