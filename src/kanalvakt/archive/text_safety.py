"""Making hostile platform text storable on SQLite and PostgreSQL, without changing the
record: the raw payload is kept as escaped JSON text (exactly what was parsed), and only
the display columns replace what a database cannot hold (NUL, lone surrogates from
invalid UTF-8) with U+FFFD. Everything is shown escaped by the templates.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_ID_LENGTH = 700
_REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def db_text(value: str | None) -> str:
    if not value:
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = _SURROGATE.sub(_REPLACEMENT, value)
    if "\x00" in value:
        value = value.replace("\x00", _REPLACEMENT)
    return value


def clip(value: Any, length: int) -> str:
    """A short display column: cleaned and cut to the column's length (PostgreSQL enforces)."""
    if value is None:
        return ""
    return db_text(str(value))[:length]


def url(value: str | None) -> str:
    """Only http(s) addresses that fit the column; anything else (javascript:…) is dropped."""
    if not value or len(value) > 1000:
        return ""
    cleaned = db_text(value.strip())
    return cleaned if cleaned.lower().startswith(("https://", "http://")) else ""


def raw_json(value: Any) -> str:
    """The payload as JSON text; control characters are escaped by json itself, and lone
    surrogates force the all-ASCII form so the text stays valid UTF-8."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=str)
    return text


def id_problem(external_id: str) -> str | None:
    if len(external_id) > MAX_ID_LENGTH:
        return f"id longer than {MAX_ID_LENGTH} characters"
    if db_text(external_id) != external_id:
        return "id contains characters that cannot be stored (NUL or invalid UTF-8)"
    return None
