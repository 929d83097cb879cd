"""Pornography and depictions of violence (R4.2c, ``violence_pornography``).

Pornography: porn words, porn and sex-chat spam, "18+" offers. Violence: a
picture, film or clip of real violence or death that the writer shares or points
to ("här är hela klippet", a link); news about violence ("skottlossningen i
grannkommunen") or prevention work is not a depiction. Porn spam that sells or
lures ("gratis", "registrera dig", a price) is also ``commercial``.
"""

from __future__ import annotations

import re

from .base import COMMERCIAL, VIOLENCE_PORNOGRAPHY, Flag, Gated, ScreenContext, merge_spans
from .document import Document, analyse

_PORN_PATTERN = Gated(
    "18+|🔞|sms|heta|singel|sex|naken|nakna",
    # The alternatives after \b share it: re would test a mix one by one everywhere.
    r"(?<!\w)18\+|🔞|\b(?:sms:?a sex\b|heta (?:mogna |unga |lokala )?(?:kvinnor|tjejer|singlar"
    r"|mammor|damer)"
    r"|singeltjejer\b.{0,40}\bsex|sex (?:ikväll|nu|direkt)\b|live ?sex\b|sexträff\w*"
    r"|mina nakenbilder|nakna (?:bilder|tjejer|kvinnor))",
)
_SHARING = re.compile(
    r"\bhär är\b|\bhär ser ni\b|\bhär finns\b|\bfinns här\b|\bkolla\b|\bse när\b|\bse hur\b"
    r"|\blägger upp\b|\blagt upp\b|\blade upp\b|\blägger ut\b|\bhela (?:klippet|videon|filmen)"
    r"|\bsprid\w*|\bdela\b|\blänk\w*|\bocensurerat\b|\blive\b|\binte för svaga|\bvarning för"
    r"|\bhär igen\b|\bhär\s*(?:👇|:)|\bfilmade\b|\bfilmat\b"
)
_GORE_DOMAIN = re.compile(r"gore|execution|liveleak|kaotic|crazyshit|deathaddict")
_LURE = re.compile(
    r"\b(?:gratis|registrera|sms:?a|rabatt)\b|\d+ ?%|\d+ ?kr\b|\b(?:gå in på\b|väntar på dig"
    r"|(?:min sida|i profilen|i bio|cams?|chatt|dates?|söker sex|swish)\b)"
)


def detect(doc: Document, context: ScreenContext | None = None) -> list[Flag]:
    text = doc.text
    flags: list[Flag] = []
    porn = [doc.span(h.start, h.end) for h in doc.terms("porn")]
    porn += [doc.span(*m.span()) for m in _PORN_PATTERN.finditer(text)]
    gore = _violence(doc)
    if porn:
        flags.append(
            Flag(
                VIOLENCE_PORNOGRAPHY,
                0.9,
                merge_spans(porn),
                "violence.pornography",
                "Kommentaren innehåller eller länkar till pornografi.",
                3,
            )
        )
        lures = [doc.span(*m.span()) for m in _LURE.finditer(text)]
        if lures:  # a porn link alone is pornography; luring or selling also makes it spam
            spans = lures + [doc.span(*u) for u in doc.urls]
            if spans:
                flags.append(
                    Flag(
                        COMMERCIAL,
                        0.8,
                        merge_spans(spans + porn),
                        "commercial.porn_spam",
                        "Kommentaren är reklam för pornografiska tjänster.",
                        2,
                    )
                )
    if gore:
        flags.append(
            Flag(
                VIOLENCE_PORNOGRAPHY,
                0.85,
                merge_spans(gore),
                "violence.depiction",
                "Kommentaren sprider bilder eller film med verkligt våld eller döda.",
                3,
            )
        )
        if porn:  # one flag per category: keep the stronger rule, join the evidence
            first, second = flags[0], flags[-1]
            flags = [f for f in flags if f.category != VIOLENCE_PORNOGRAPHY]
            flags.insert(
                0,
                Flag(
                    VIOLENCE_PORNOGRAPHY,
                    0.95,
                    merge_spans(first.spans + second.spans),
                    first.rule,
                    first.explanation_sv,
                    3,
                ),
            )
    return flags


def _violence(doc: Document) -> list[tuple[int, int]]:
    gore = doc.terms("gore")
    domains = [u for u in doc.urls if _GORE_DOMAIN.search(doc.text[u[0] : u[1]])]
    if not gore and not domains:
        return []
    media = doc.terms("media")
    compounds = [
        h
        for h in gore
        if any(m.start >= h.start and m.end <= h.end + 12 and m.token == h.token for m in media)
    ]
    sharing = list(_SHARING.finditer(doc.text)) or doc.urls
    evidence = [doc.span(*u) for u in domains]
    if compounds:
        evidence += [doc.span(h.start, h.end) for h in compounds]
    if gore and media and sharing:
        evidence += [doc.span(h.start, h.end) for h in gore] + [
            doc.span(m.start, m.end) for m in media
        ]
    return evidence


def screen(text: str, context: ScreenContext | None = None) -> list[Flag]:
    return detect(analyse(text), context)
