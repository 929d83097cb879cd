"""Unlawful use of copyrighted material (R4.2e, ``copyright``).

- piracy: torrent, IPTV and pirate-stream sites, cracked apps, shadow libraries;
- copies of whole works offered or uploaded ("fotade av hela pocketen", "kopior av
  nya Fifa", "hela filmen gratis här");
- long pasted texts: song lyrics, or a whole (paywalled) article quoted.
Linking to an article, asking about rights, or sharing with permission passes.
"""

from __future__ import annotations

import re

from .base import COPYRIGHT, Flag, Gated, ScreenContext, merge_spans
from .document import Document, analyse

_WORK = (
    r"(?:film\w*|album\w*|bok\w*|boken|säsong\w*|serie\w*|avsnitt\w*|spel\w*|tidning\w*|pocket\w*"
    r"|nothäfte\w*|kursbok\w*|\w+boken|dokumentär\w*|match\w*|galan|skiva\w*|låt\w*|musik\w*"
    r"|app\w*|program\w*|kanal\w*|e-?bok\w*|ljudbok\w*|lärobok\w*|sidor\w*|pdf)"
)
_COPY = Gated(
    "kopi|fota|scann|skann|ladda|tanka|rippa|bränner|lade upp|lagt upp|lägger upp|hela|gratis|full"
    "|läckt|epub|pdf|premium|mega",
    r"\b(?:kopierat|kopierade|kopierar|fotade av|fotat av|fotograferat av|scannat|skannat|scannade"
    r"|skannade|laddade ner|laddat ner|tankade ner|tankat ner|rippat"
    r"|rippade)\b(?: \w+){0,5}? (?:hela|alla)\b"
    r"|\b(?:laddade|laddat|tankade) (?:ner|hem) (?:hela |alla )?(?:\w+ ){0,4}(?:gratis|från en)"
    r"|\b(?:säljer|skickar|delar ut|lägger upp) (?:\w+ )?(?:kopior|kopierade|piratkopior)"
    r"|\bbränner (?:på|till) (?:usb|dvd|cd|skiva)"
    r"|\b(?:lade|lagt|lägger) upp (?:\w+ )?på (?:min|sin|vår) (?:youtube|kanal|tiktok)"
    rf"|\bhela (?:nya )?(?:[\w:'-]+ ){{0,3}}(?:[\w:']+-)?{_WORK}\b.{{0,40}}\b(?:gratis|här|länk"
    "|ladda|pdf|epub|torrent|mejla)"
    rf"|\b(?:se|streama|kolla|ladda ner|ladda hem|tanka)\b.{{0,40}}\bgratis\b"
    rf"|\bgratis\b.{{0,30}}\b(?:full film|nedladdning|streama|stream)|\bfull (?:film|movie)\b"
    r"|\bläckt\w*\b.{0,60}\b(?:epub|pdf|här|länk|ladda)|\b(?:epub|pdf) här\b"
    r"|\bpremium gratis\b|\bgratis för alltid\b|\bmega\.nz\b|\bhela (?:engelskboken|kursboken"
    r"|läroboken)",
)
_PERMISSION = re.compile(
    r"\bmed (?:tillstånd|licens|lov)\b|\bfår man\b|\bäger rättigheterna\b|\bupphovsrätt\w* till\b"
)
_IPTV_OFFER = re.compile(r"\d[\d ]* ?(?:kr|kanaler)\b|\b(?:swish|skriv|gratis|dm|kanaler)\b")
_LYRIC_MARKERS = re.compile(r"\brefräng\b|\bvers \d|\btexten till\b|\bhela texten\b|\blåttext\w*")
_ARTICLE_MARKERS = re.compile(
    r"\bkopierat från\b|\bplusartikel\w*|\bpremium\b|\be-tidning\w*|\bhela texten\b"
    r"|\bhela artikeln\b"
    r"|\bbetalvägg\w*|\bpaywall\b|\blåst artikel\b|\breportage\w*|\bresten i nästa\b|\b(?:dn|svd"
    r"|aftonbladet"
    r"|expressen|sydsvenskan|skånskan|kristianstadsbladet|norra skåne|hd|gp)\b"
)
_QUOTED = re.compile(r"['\"“”‘’«»]([^'\"“”‘’«»]{120,})['\"“”‘’«»]?")


def detect(doc: Document, context: ScreenContext | None = None) -> list[Flag]:
    text = doc.text
    found: list[tuple[str, list[tuple[int, int]]]] = []
    piracy = doc.terms("piracy")
    if piracy:
        strong = [h for h in piracy if not h.form.startswith("iptv")]
        if strong or _IPTV_OFFER.search(text):
            found.append(("copyright.piracy", [doc.span(h.start, h.end) for h in piracy]))
    copies = [doc.span(*m.span()) for m in _COPY.finditer(text)]
    if copies and not _PERMISSION.search(text):  # gated _COPY first: it seldom runs at all
        found.append(("copyright.copied_work", copies))
    pasted = _pasted_text(doc)
    if pasted:
        found.append(("copyright.pasted_text", pasted))
    if not found:
        return []
    rule = found[0][0]
    explanation = {
        "copyright.piracy": "Kommentaren sprider eller säljer piratkopierat material.",
        "copyright.copied_work": "Kommentaren delar kopior av ett upphovsrättsskyddat verk.",
        "copyright.pasted_text": "Kommentaren klistrar in en lång upphovsrättsskyddad text "
        "(sångtext eller artikel).",
    }[rule]
    spans = merge_spans([s for _, ss in found for s in ss])
    return [Flag(COPYRIGHT, min(1.0, 0.8 + 0.07 * len(found)), spans, rule, explanation, 2)]


def _pasted_text(doc: Document) -> list[tuple[int, int]]:
    text = doc.text
    if len(text) < 200:
        return []
    lines = text.count(" / ") + text.count("\n")
    if _LYRIC_MARKERS.search(text) and lines >= 3:
        return [doc.span(0, len(text))]
    quoted = [m for m in _QUOTED.finditer(text)]
    if quoted and _ARTICLE_MARKERS.search(text):
        return [doc.span(*m.span()) for m in quoted]
    return []


def screen(text: str, context: ScreenContext | None = None) -> list[Flag]:
    return detect(analyse(text), context)
