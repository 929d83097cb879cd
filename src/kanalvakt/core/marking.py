"""Spans of a text as <mark> (moderation evidence, search hits): the text is escaped
piece by piece, never trusted as HTML."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def mark_spans(text: str, spans) -> SafeString:
    clamped = sorted((max(0, int(a)), min(len(text), int(b))) for a, b in spans if int(a) < int(b))
    merged: list[list[int]] = []
    for start, end in clamped:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif start < end:
            merged.append([start, end])
    out, cursor = [], 0
    for start, end in merged:
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped
