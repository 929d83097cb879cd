"""Advice on an outgoing draft before it is published (R5.1).

"Använd ett vårdat, lämpligt språk som anpassas till mediet och målgruppen":
readability (LIX), the platform's length limit, long sentences, shouting,
and — through an injected `detectors` callable — profanity, insults and
confidential or personal data found by the moderation detectors.

Pure Python; no Django import, no import of the moderation package (its
detectors are passed in by the caller).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Characters per post or comment; policy-like numbers, so callers may pass
# their own table (platforms change them).
DEFAULT_PLATFORM_LIMITS: dict[str, int] = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "instagram": 2200,  # caption
    "facebook": 63206,
    "youtube": 10000,  # comment
    "linkedin": 3000,
}
PLATFORM_ALIASES = {"twitter": "x", "youtube_comment": "youtube", "instagram_caption": "instagram"}
# X counts every link as a t.co link of 23 characters.
X_URL_LENGTH = 23
NEAR_LIMIT_SHARE = 0.9
LONG_SENTENCE_WORDS = 25
# Social media drafts should read easily; from "svår" upwards we advise.
LIX_ADVISE_FROM = 40

LIX_BANDS = [  # (upper bound, code, Swedish label)
    (25, "very_easy", "mycket lättläst (barnböcker)"),
    (30, "easy", "lättläst"),
    (40, "medium", "medelsvår (normal tidningstext)"),
    (50, "hard", "svår (officiella texter)"),
    (float("inf"), "very_hard", "mycket svår"),
]

URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Björnsson counts a sentence at full stop, colon, ! and ?; a line break
# ends a heading or list item the same way.
SENTENCE_END = re.compile(r"[.:!?]+|\n+")
INVISIBLE_IN_GRAPHEMES = {"\u200d", "\ufe0f", "\ufe0e"}

FLAG_MESSAGES_SV = {
    "defamation_insult": "Texten kan uppfattas som förtal, personangrepp eller förolämpning.",
    "hate_harassment": "Texten kan uppfattas som trakasserier eller hets mot folkgrupp.",
    "violence_pornography": "Texten innehåller våldsamt eller sexuellt innehåll.",
    "crime_incitement": "Texten kan uppfattas som hot eller uppmaning till brott.",
    "copyright": "Kontrollera att du har rätt att använda materialet (upphovsrätt).",
    "profanity_obscene": "Texten innehåller svordomar eller obscena ord – använd ett vårdat språk.",
    "commercial": "Texten kan uppfattas som reklam för ett företag.",
    "confidential": "Texten verkar innehålla sekretessbelagda uppgifter eller personuppgifter – "
    "sådant får inte publiceras i sociala medier.",
}
# Categories that must stop publishing outright (R7.6).
BLOCKING_FLAGS = {"confidential", "crime_incitement", "hate_harassment"}

Detector = Callable[[str], Iterable[Any]]


@dataclass(frozen=True)
class Advice:
    code: str
    severity: str  # "error" (do not publish) | "warning" | "info"
    message_sv: str
    evidence: str = ""


@dataclass(frozen=True)
class LixResult:
    score: float
    words: int
    sentences: int
    long_words: int
    band: str
    band_sv: str


def lix(text: str) -> LixResult:
    """Björnsson's LIX: words/sentences + 100 · long words (> 6 letters)/words."""
    prose = URL.sub(" ", text)
    words = WORD.findall(prose)
    if not words:
        return LixResult(0.0, 0, 0, 0, LIX_BANDS[0][1], LIX_BANDS[0][2])
    sentences = max(1, len([m for m in SENTENCE_END.finditer(prose.strip())]))
    long_words = sum(1 for w in words if len(w.replace("-", "")) > 6)
    score = len(words) / sentences + 100 * long_words / len(words)
    _, band, band_sv = next(b for b in LIX_BANDS if score < b[0])
    return LixResult(round(score, 1), len(words), sentences, long_words, band, band_sv)


def _graphemes(text: str) -> int:
    """Approximate user-perceived characters (combining marks and joiners are free)."""
    return sum(
        1
        for ch in text
        if not unicodedata.combining(ch)
        and ch not in INVISIBLE_IN_GRAPHEMES
        and not 0x1F3FB <= ord(ch) <= 0x1F3FF  # skin-tone modifiers
    )


def platform_length(text: str, platform_key: str) -> int:
    """Length as the platform counts it (links are 23 on X)."""
    key = PLATFORM_ALIASES.get(platform_key.lower(), platform_key.lower())
    if key == "x":
        return _graphemes(URL.sub("", text)) + X_URL_LENGTH * len(URL.findall(text))
    return _graphemes(text)


def _flag_field(flag: Any, *names: str) -> str:
    for name in names:
        value = flag.get(name) if isinstance(flag, Mapping) else getattr(flag, name, None)
        if value:
            return str(value)
    return ""


def _advice_from_flags(flags: Iterable[Any]) -> list[Advice]:
    advice, seen = [], set()
    for flag in flags:
        category = flag if isinstance(flag, str) else _flag_field(flag, "category", "code", "label")
        if not category or category in seen:
            continue
        seen.add(category)
        evidence = (
            "" if isinstance(flag, str) else _flag_field(flag, "evidence", "excerpt", "match")
        )
        message = FLAG_MESSAGES_SV.get(category, f"Detektorn flaggade texten ({category}).")
        severity = "error" if category in BLOCKING_FLAGS else "warning"
        advice.append(Advice(f"flag_{category}", severity, message, evidence))
    return advice


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(URL.sub(" ", text)) if WORD.search(s)]


def check_draft(
    text: str,
    platform_key: str,
    detectors: Detector | None = None,
    limits: Mapping[str, int] | None = None,
) -> list[Advice]:
    """Advice for a draft reply or post on `platform_key`, most severe first.

    `detectors(text)` returns flags: strings (the category) or objects /
    mappings with `category` (or `code`/`label`) and optional `evidence`.
    """
    limits = DEFAULT_PLATFORM_LIMITS if limits is None else limits
    if not text or not text.strip():
        return [Advice("empty", "error", "Utkastet är tomt.")]
    advice: list[Advice] = []

    key = PLATFORM_ALIASES.get(platform_key.lower(), platform_key.lower())
    length, limit = platform_length(text, key), limits.get(key)
    if limit is None:
        advice.append(
            Advice(
                "unknown_platform",
                "warning",
                f"Okänd plattform ”{platform_key}”: längden kunde inte kontrolleras.",
            )
        )
    elif length > limit:
        advice.append(
            Advice(
                "too_long",
                "error",
                f"Texten är {length} tecken, {length - limit} för lång "
                f"för {platform_key} (högst {limit}).",
            )
        )
    elif length > NEAR_LIMIT_SHARE * limit:
        advice.append(Advice("near_limit", "info", f"Texten är {length} av högst {limit} tecken."))

    readability = lix(text)
    if readability.words:
        severity = "warning" if readability.score >= LIX_ADVISE_FROM else "info"
        hint = (
            " Korta meningarna och byt långa ord mot vardagliga." if severity == "warning" else ""
        )
        advice.append(
            Advice(
                f"lix_{readability.band}",
                severity,
                f"LIX {readability.score:g}: {readability.band_sv}.{hint}",
            )
        )

    for sentence in _sentences(text):
        words = WORD.findall(sentence)
        if len(words) > LONG_SENTENCE_WORDS:
            advice.append(
                Advice(
                    "long_sentence",
                    "info",
                    f"En mening har {len(words)} ord; dela gärna upp den.",
                    " ".join(words[:8]) + " …",
                )
            )

    letters = [ch for ch in URL.sub("", text) if ch.isalpha()]
    if len(letters) >= 20 and sum(ch.isupper() for ch in letters) > 0.5 * len(letters):
        advice.append(
            Advice(
                "shouting",
                "warning",
                "Mycket versaler uppfattas som att skrika – skriv med gemener.",
            )
        )
    if re.search(r"[!?]{2,}", text):
        advice.append(
            Advice(
                "repeated_punctuation",
                "info",
                "Flera utrops- eller frågetecken i rad ger ett oprofessionellt intryck.",
            )
        )

    if detectors is not None:
        advice.extend(_advice_from_flags(detectors(text)))

    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(advice, key=lambda a: order.get(a.severity, 3))
