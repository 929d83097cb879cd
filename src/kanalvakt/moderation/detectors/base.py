"""Shared types of the moderation detectors: categories, Flag and ScreenContext."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import itemgetter, or_

import ahocorasick

# Category ids of REQUIREMENTS.md R4.2a-g and R7.6, in the guideline's order.
DEFAMATION_INSULT = "defamation_insult"
HATE_HARASSMENT = "hate_harassment"
VIOLENCE_PORNOGRAPHY = "violence_pornography"
CRIME_INCITEMENT = "crime_incitement"
COPYRIGHT = "copyright"
PROFANITY_OBSCENE = "profanity_obscene"
COMMERCIAL = "commercial"
CONFIDENTIAL = "confidential"

CATEGORIES: tuple[str, ...] = (
    DEFAMATION_INSULT,
    HATE_HARASSMENT,
    VIOLENCE_PORNOGRAPHY,
    CRIME_INCITEMENT,
    COPYRIGHT,
    PROFANITY_OBSCENE,
    COMMERCIAL,
    CONFIDENTIAL,
)

REQUIREMENT_OF_CATEGORY = {
    DEFAMATION_INSULT: "R4.2a",
    HATE_HARASSMENT: "R4.2b",
    VIOLENCE_PORNOGRAPHY: "R4.2c",
    CRIME_INCITEMENT: "R4.2d",
    COPYRIGHT: "R4.2e",
    PROFANITY_OBSCENE: "R4.2f",
    COMMERCIAL: "R4.2g",
    CONFIDENTIAL: "R7.6",
}

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Flag:
    """One finding of a detector.

    ``spans`` are half-open character ranges into the ORIGINAL text; ``rule`` names
    the rule that fired (``family.rule``); ``severity`` runs from 1 (mild, e.g. a
    swear word) to 3 (severe, e.g. a death threat or a personnummer).
    ``statistical`` marks flags from the trained classifier rather than a rule.
    """

    category: str
    score: float
    spans: tuple[Span, ...]
    rule: str
    explanation_sv: str
    severity: int
    statistical: bool = False


class DuplicateIndex:
    """Remembers normalised texts per thread to catch the same text posted across threads.

    In memory; the caller keeps one per account or platform and may rebuild it from
    the archive. ``observe`` returns in how many distinct threads the text was seen.
    """

    def __init__(self) -> None:
        self._threads: dict[str, set[str]] = defaultdict(set)

    @staticmethod
    def key(normalised_text: str) -> str:
        compact = " ".join(normalised_text.split())
        return hashlib.sha256(compact.encode()).hexdigest()

    def observe(self, normalised_text: str, thread_id: str) -> int:
        threads = self._threads[self.key(normalised_text)]
        threads.add(thread_id)
        return len(threads)


@dataclass(slots=True)
class ScreenContext:
    """What a detector may know beyond the text itself (all optional)."""

    thread_id: str | None = None
    author_id: str | None = None
    duplicates: DuplicateIndex | None = None
    # Texts that are short or common ("Tack!", "👍") are not spam when repeated.
    min_duplicate_length: int = 40
    repeated_threads_for_spam: int = 3
    extra: dict[str, object] = field(default_factory=dict)


def merge_spans(spans: list[Span] | tuple[Span, ...]) -> tuple[Span, ...]:
    """Sorted, overlapping spans joined."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((a, b) for a, b in out)


class _TriggerIndex:
    """The triggers of every ``Gated`` in one Aho-Corasick automaton.

    One pass over a text yields a bit mask of the armed gates, instead of an ``in``
    check per trigger per gate; the mask of the last text is kept, since all
    detector families read the same text one after the other.
    """

    def __init__(self) -> None:
        self._masks: dict[str, int] = {}
        self._always = 0  # gates with an empty trigger, armed on every text
        self._gates = 0
        self._automaton: ahocorasick.Automaton | None = None
        self._last: tuple[str | None, int] = (None, 0)

    def add(self, triggers: tuple[str, ...]) -> int:
        bit = 1 << self._gates
        self._gates += 1
        for trigger in triggers:
            if trigger:
                self._masks[trigger] = self._masks.get(trigger, 0) | bit
            else:
                self._always |= bit
        self._automaton = None
        self._last = (None, 0)
        return bit

    def armed(self, text: str) -> int:
        last_text, last_mask = self._last
        if text == last_text:
            return last_mask
        automaton = self._automaton or self._build()
        mask = reduce(or_, map(itemgetter(1), automaton.iter(text)), self._always)
        self._last = (text, mask)
        return mask

    def _build(self) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        for trigger, mask in self._masks.items():
            automaton.add_word(trigger, mask)
        automaton.make_automaton()
        self._automaton = automaton
        return automaton


_TRIGGERS = _TriggerIndex()


class Gated:
    """A regex run only when one of its trigger substrings occurs in the text.

    Python's ``re`` tries every alternative at every position; finding the triggers
    first (for all gates at once, see ``_TriggerIndex``) keeps the many rules cheap
    on the common, harmless comment.
    """

    __slots__ = ("bit", "pattern", "regex", "triggers")

    def __init__(self, triggers: str, pattern: str, flags: int = 0):
        self.triggers = tuple(triggers.split("|"))
        self.regex = re.compile(pattern, flags)
        self.pattern = pattern
        self.bit = _TRIGGERS.add(self.triggers)

    def armed(self, text: str) -> bool:
        """Whether one of the triggers occurs in ``text`` (else the regex cannot match)."""
        return bool(_TRIGGERS.armed(text) & self.bit)

    def finditer(self, text: str):
        return self.regex.finditer(text) if self.armed(text) else iter(())

    def search(self, text: str):
        return self.regex.search(text) if self.armed(text) else None
