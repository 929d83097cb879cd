"""Helpers shared by the platform normalisers: time parsing, HTML to text,
id-keyed payload shapes, and turning a broken object into a CaptureError."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from kanalvakt.capture.types import CaptureError, CaptureResult

# Errors that mean "this object does not have the shape we expect".
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)

_META_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_time(value: Any) -> datetime:
    """Parse the timestamp forms the platforms use into an aware UTC datetime.

    ISO 8601 with Z or offset (also Meta's "+0000" without colon), epoch
    seconds (exports), and RFC 2822 (X archive: "Fri Mar 06 13:02:05 +0000
    2026"). Naive values are taken as UTC: every platform here emits UTC and
    a few real records omit the zone.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip()
    if not text:
        raise ValueError("empty timestamp")
    if text.isdigit():
        return datetime.fromtimestamp(int(text), UTC)
    try:
        iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
        iso = _META_OFFSET.sub(r"\1:\2", iso) if "T" in iso else iso
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        parsed = _parse_x_archive_time(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_x_archive_time(text: str) -> datetime:
    # "Fri Mar 06 13:02:05 +0000 2026" → move the year before the time.
    parts = text.split()
    if len(parts) == 6:
        weekday, month, day, clock, offset, year = parts
        return datetime.strptime(
            f"{weekday} {day} {month} {year} {clock} {offset}", "%a %d %b %Y %H:%M:%S %z"
        )
    return parsedate_to_datetime(text)


def optional_time(value: Any) -> datetime | None:
    return None if value in (None, "") else parse_time(value)


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment; markup is parsed, never run."""

    _BREAKS = frozenset({"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "tr"})
    _DROPPED = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropped_depth = 0
        self._invisible_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._DROPPED:
            self._dropped_depth += 1
        classes = (dict(attrs).get("class") or "").split()
        # Mastodon hides the "https://" of links in <span class="invisible">.
        if tag == "span" and ("invisible" in classes or self._invisible_depth):
            self._invisible_depth += 1
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._DROPPED and self._dropped_depth:
            self._dropped_depth -= 1
        if tag == "span" and self._invisible_depth:
            self._invisible_depth -= 1
        if tag in self._BREAKS and tag != "br":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._dropped_depth and not self._invisible_depth:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (for search, screening, display)."""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def objects_of(payload: Any) -> Iterator[Any]:
    """The objects of a list response in any of the shapes the APIs use:
    ``{"data": [...]}``, ``{"items": [...]}``, a bare list, a single object
    with an ``id``, or Meta's ``?ids=`` map ``{id: object}``."""
    if isinstance(payload, list):
        yield from payload
        return
    if not isinstance(payload, dict):
        raise TypeError("payload is neither an object nor a list")
    for key in ("data", "items"):
        if key in payload:
            value = payload[key]
            if isinstance(value, list):
                yield from value
            else:
                yield value
            return
    if "id" in payload:
        yield payload
        return
    yield from payload.values()


def guarded(
    platform: str,
    objects: Iterable[Any],
    normalise_one: Callable[[Any], Iterable[CaptureResult]],
) -> Iterator[CaptureResult]:
    """Run ``normalise_one`` per object; a malformed object becomes a
    CaptureError and the rest of the page goes on."""
    for obj in objects:
        try:
            results = list(normalise_one(obj))
        except MALFORMED as exc:
            yield CaptureError(platform, guess_id(obj), describe(exc), obj)
            continue
        yield from results


def guess_id(obj: Any) -> str | None:
    if isinstance(obj, dict):
        for key in ("id", "id_str", "uri"):
            value = obj.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    return None


def describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return f"{type(exc).__name__}: {exc}"


def require_str(obj: dict[str, Any], key: str) -> str:
    value = obj[key]
    if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
        raise ValueError(f"field {key!r} is not a non-empty id/string")
    return str(value)


def text_field(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"field {key!r} is {type(value).__name__}, expected text")
    return value


def thread_kind(parent: str | None, root: str | None) -> str:
    """post (no parent), comment (answers the thread's post), reply (deeper)."""
    if parent is None:
        return "post"
    return "comment" if parent == root else "reply"
