"""Advertising, scams and spam (R4.2g, ``commercial``).

Evidence adds up: a price, a discount or promo code, a call to buy or book, a
first-person business, a shop link, scam bait (crypto, "tjäna passivt", prizes).
One cue alone is not advertising: an association's free event, a petition, a
question about a fee or a link to a newspaper pass. Link spam and the same text
posted across many threads (with a ``ScreenContext.duplicates`` index) are spam.
"""

from __future__ import annotations

import re

from . import pii
from .base import COMMERCIAL, Flag, Gated, ScreenContext, merge_spans
from .document import Document, analyse

_THRESHOLD = 2.0
# In the cues, alternatives that start with \b are grouped under one \b where others
# are mixed in: re tests a mix of alternatives one by one at every position. Triggers
# are as narrow as the pattern allows (" för ", "ring "): a common word that arms a
# cue for nothing costs a regex run.
_CUES: tuple[tuple[float, Gated], ...] = (
    # a price
    (
        1.0,
        Gated(
            "kr|sek|:-|€|euro",
            r"\d[\d  ]*(?:[.,]\d+)? ?(?:kr|kronor|sek|:-|€|euro)(?:/\w+| st\b| styck)?\b",
        ),
    ),
    # discounts and sales
    (
        1.5,
        Gated(
            "%|rabatt|rea| för |black|halva|frakt|första|erbjud|kampanj",
            r"\b\d+ ?% (?:rabatt|på|off)\b|\brabatt(?:en|kod\w*)?\b|\brea\b|\b\w+-rea\b"
            r"|\b\d för \d\b|\bblack (?:week|friday)\b|\bhalva priset\b|\bfri frakt\b"
            r"|\bförsta (?:månaden|veckan|klippningen) (?:gratis|på)|\berbjudande\w*\b"
            r"|\bkampanj\w*\b",
        ),
    ),
    (2.0, Gated("kod", r"\b(?:med )?koden [a-z0-9]{3,}\b|\brabattkod\w*\b")),
    # calls to buy, book or contact a seller
    (
        1.5,
        Gated(
            "skriv|skicka|bok|beställ|byt|registrer|hitta|besök|offert|dm|pm|swish|länk|kontakt"
            "|gilla|vinn|köp|kontant|hör av|whatsapp|dela|tagga|missa|ring |behöver|hjälper",
            r"\bboka (?:\w+ )?(?:på|via|hos|demo|tid hos oss)\b|\bbeställ\w*\b|\bbyt till oss\b"
            r"|\bregistrera (?:dig|er)\b|\bregistrerar sig\b|\bhitta oss\b|\bbesök (?:vår|oss)\b"
            r"|\bfri offert\b|\bgratis offert\b|\b(?:skriv|skicka) (?:ett )?(?:dm|pm|iptv|till oss"
            r"|på whatsapp)\b"
            r"|\b(?:dm|pm)(?=[!.]|$)|\bdm för\b|\bdm:a\b|\bswish\w*\b|\blänk i (?:bio|profilen)"
            r"|\bkontakta (?:mig|oss)\b|\bgilla och dela\b|\bvinn\b|\bköp (?:min|mina|vår|våra"
            r"|hos)\b"
            r"|\bköpa in (?:våra|vår)\b|\bkontant betalning\b|\bhör av dig\b|\bwhatsapp\b"
            r"|\bdela (?:inlägget|sidan)\b|\btagga (?:\w+ )?vänner\b|\bmissa inte\b|\bring (?:oss "
            r"|mig )?0\d"
            r"|\bbehöver (?:du|ni) hjälp med\b|\bvi hjälper (?:dig|er)\b",
        ),
    ),
    (
        1.5,
        Gated(
            "sälj|köper|hyr|utför|erbjud|levere|till salu|nyskick|jag tar|vi tar",
            r"(?:^|[.!?]\s*|\b(?:jag|vi) )(?:säljer|köper|hyr ut|utför|erbjuder|levererar)\b"
            r"|\b(?:(?:jag|vi) tar [\d  ]+ ?(?:kr|kronor|:-)"
            r"|(?:uthyres|till salu|i nyskick)\b)",
        ),
    ),
    # a business speaking for itself
    (
        1.0,
        Gated(
            "levererat|vi på|vår|ab|hb|&|pizzeria|frisör|webbshop|collab|influencer|min bok|reklam"
            "|billig",
            r"\b(?:vi på [a-zåäö]|vår (?:nya )?(?:webbshop|butik|sida|salong|restaurang|app|tjänst)"
            r"|våra (?:produkter|tjänster|laddstolpar)|(?:ab|hb)\b)|\w & \w"
            r"|\b(?:(?:pizzeria|frisörsalong|webbshop|collab|influencers?|min bok|reklam|billigaste"
            r"|(?:snabbt och )?billigt)\b|levererat till \d+)",
        ),
    ),
    # scam bait
    (
        2.0,
        Gated(
            "bitcoin|krypto|crypto|trading|forex|tjäna|passiv|miljonär|skuld|löser|lån|gratis ip"
            "|första|presentkort|gör som|vunnit|hämta|klicka|dubbla|investera",
            r"\bbitcoin\w*|\bkrypto\w*|\bcrypto\w*|\bai-trading\b|\btrading\b|\bforex\b"
            r"|\btjäna (?:passivt|pengar hemifrån|snabba pengar)|\bpassiv inkomst|\bbli miljonär"
            r"|\bhar du skulder\b|\bvi löser (?:dem|dina skulder)|\bsnabblån\w*|\bgratis (?:ipad"
            r"|iphone)"
            r"|\bde \d+ första\b|\bpresentkort\w*|\bgör som [\d ]+ andra|\bdu har vunnit\b"
            r"|\bhämta (?:ditt|din) (?:pris|vinst)|\bklicka här\b|\bdubbla pengarna\b"
            r"|\btjäna [\d  ]+ ?(?:kr|kronor|:-) (?:om|per|i) (?:dagen|veckan|månaden|timmen)"
            r"|\binvestera i\b",
        ),
    ),
    (
        0.5,
        Gated(
            "@|snap|insta|telegram|wickr",
            r"(?<![\w@])@[a-z0-9_.]{3,}\b|\b(?:snap|insta|instagram|telegram|wickr):",
        ),
    ),
)
_PUBLIC_DOMAINS = re.compile(
    r"(?:osby\.se|kommun\.se|regeringen\.se|skatteverket\.se|1177\.se|polisen\.se|krisinformation"
    r"|skanskan\.se|kristianstadsbladet\.se|norraskane\.se|sydsvenskan\.se|svt\.se|sr\.se|dn\.se"
    r"|svd\.se|gp\.se|hd\.se|youtube\.com|facebook\.com|instagram\.com|wikipedia\.org|\.gov)"
)


def score_cues(doc: Document) -> tuple[float, list[tuple[int, int]]]:
    text = doc.text
    total, evidence = 0.0, []
    for weight, pattern in _CUES:
        # Two different cues of a kind count more than one ("köp mina ..., länk i bio").
        matches = {m.group(): m for m in pattern.finditer(text)}
        if matches:
            total += weight * min(len(matches), 2) if weight >= 1.5 else weight
            evidence += [doc.span(*m.span()) for m in matches.values()]
    if pii.phone_numbers(doc.original):
        total += 0.5
    shop_links = [u for u in doc.urls if not _PUBLIC_DOMAINS.search(text[u[0] : u[1]])]
    if shop_links:
        total += 1.0
        evidence += [doc.span(*u) for u in shop_links]
    return total, evidence


def detect(doc: Document, context: ScreenContext | None = None) -> list[Flag]:
    total, evidence = score_cues(doc)
    flags = []
    if total >= _THRESHOLD:
        flags.append(
            Flag(
                COMMERCIAL,
                min(1.0, 0.5 + total / 8),
                merge_spans(evidence),
                "commercial.advertising",
                "Kommentaren är reklam eller ett kommersiellt erbjudande.",
                1,
            )
        )
    elif len({doc.text[a:b] for a, b in doc.urls}) >= 3:
        flags.append(
            Flag(
                COMMERCIAL,
                0.7,
                merge_spans([doc.span(*u) for u in doc.urls]),
                "commercial.link_spam",
                "Kommentaren består av många länkar (länkspam).",
                1,
            )
        )
    seen = _threads_seen(doc, context)
    if not flags and seen:
        flags.append(
            Flag(
                COMMERCIAL,
                0.75,
                ((0, len(doc.original)),),
                "commercial.repeated_post",
                f"Samma text har publicerats i {seen} olika trådar (spam).",
                1,
            )
        )
    return flags


def _threads_seen(doc: Document, context: ScreenContext | None) -> int:
    """Threads the same (long enough) text was posted in, if that makes it spam; else 0."""
    if context is None or context.duplicates is None or not context.thread_id:
        return 0
    if len(doc.text.strip()) < context.min_duplicate_length:
        return 0
    seen = context.duplicates.observe(doc.text, context.thread_id)
    return seen if seen >= context.repeated_threads_for_spam else 0


def screen(text: str, context: ScreenContext | None = None) -> list[Flag]:
    return detect(analyse(text), context)
