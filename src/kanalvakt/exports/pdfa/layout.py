"""Text flowed down A4 pages: wrapped paragraphs, rules and page footers.

Enough typesetting for archive renderings of social-media text, left to right: lines are
broken at spaces (a word longer than the line is broken anywhere), line breaks in the text
are kept, and a paragraph continues on the next page when the page is full. Scripts that
need shaping or right-to-left ordering are not handled here (see ``needs_shaping``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from kanalvakt.exports.pdfa.document import A4, FontUse

MM = 72 / 25.4
# Right-to-left scripts, scripts whose letters change shape or combine (Indic, Thai, …),
# and combining marks: such text needs a shaping engine.
_SHAPING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0590-\u08ff\u0900-\u0fff\u1000-\u109f\u1780-\u18af"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufb1d-\ufdff\ufe20-\ufe2f\ufe70-\ufefc"
    "\U00010a00-\U00010fff\U0001e800-\U0001efff]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")
# Control and format characters and variation selectors draw nothing.
_INVISIBLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]"
)


def needs_shaping(text: str) -> bool:
    return _SHAPING.search(unicodedata.normalize("NFC", text)) is not None


def clean(text: str) -> str:
    """Text as drawn: composed characters, one kind of line break, tabs as spaces, nothing
    invisible."""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    return _INVISIBLE.sub("", text.replace("\t", "    "))


@dataclass(frozen=True)
class Style:
    font: FontUse
    size: float
    leading: float
    color: str = "0 0 0"  # DeviceRGB, 0-1 per component

    def width(self, text: str) -> float:
        return self.font.font.measure(text) * self.size / 1000


class Flow:
    """Fills pages from the top; ``contents()`` gives one content stream per page."""

    def __init__(self, margin_x: float = 14 * MM, margin_y: float = 16 * MM):
        self.left, self.right = margin_x, A4[0] - margin_x
        self.top, self.bottom = A4[1] - margin_y, margin_y
        self.pages: list[list[str]] = [[]]
        self.y = self.top

    def space(self, points: float) -> None:
        self.y -= points

    def keep(self, points: float) -> None:
        """Start a new page unless ``points`` still fit on this one (no orphaned headers)."""
        if self.y - points < self.bottom:
            self._new_page()

    def rule(self, indent: float = 0, color: str = "0.533 0.533 0.533", width=0.5) -> None:
        if self.y - width < self.bottom:
            self._new_page()
        x = self.left + indent
        self.pages[-1].append(
            f"{color} RG {width} w {x:.2f} {self.y:.2f} m {self.right:.2f} {self.y:.2f} l S"
        )
        self.y -= width

    def paragraph(self, text: str, style: Style, indent: float = 0) -> None:
        width = self.right - self.left - indent
        for line in wrap(clean(text), style, width):
            if self.y - style.leading < self.bottom:
                self._new_page()
            self.y -= style.leading
            self._text(line, style, self.left + indent, self.y + (style.leading - style.size) / 2)

    def footer(self, label, style: Style) -> None:
        """``label(page_number, page_count)`` at the bottom right of every page."""
        count = len(self.pages)
        for number, page in enumerate(self.pages, 1):
            text = label(number, count)
            x = self.right - style.width(text)
            page.append(self._text_ops(text, style, x, self.bottom / 2))

    def contents(self) -> list[bytes]:
        return ["\n".join(page).encode("latin-1") for page in self.pages]

    def _new_page(self) -> None:
        self.pages.append([])
        self.y = self.top

    def _text(self, line: str, style: Style, x: float, baseline: float) -> None:
        if line.strip():
            self.pages[-1].append(self._text_ops(line, style, x, baseline))

    @staticmethod
    def _text_ops(text: str, style: Style, x: float, baseline: float) -> str:
        return (
            f"BT /{style.font.resource} {style.size} Tf {style.color} rg "
            f"{x:.2f} {baseline:.2f} Td {style.font.show(text)} ET"
        )


def wrap(text: str, style: Style, width: float) -> list[str]:
    """Lines of at most ``width`` points, broken at spaces (a word wider than the line
    anywhere); line breaks kept. Cumulative widths and a binary search per line keep the
    work in C: a thread has thousands of lines."""
    width_of, limit = style.font.font.width_of.__getitem__, width * 1000 / style.size
    lines = []
    for paragraph in text.split("\n"):
        edges = list(accumulate(map(width_of, paragraph), initial=0))  # width of [:i]
        start, end = 0, len(paragraph)
        while True:
            stop = bisect_right(edges, edges[start] + limit) - 1  # [start:stop] fits
            if stop >= end:
                lines.append(paragraph[start:].rstrip())
                break
            space = paragraph.rfind(" ", start, stop + 1)
            cut = space if space > start else max(stop, start + 1)
            lines.append(paragraph[start:cut].rstrip())
            start = cut
            while start < end and paragraph[start] == " ":
                start += 1
            if start == end:
                break
    return lines
