"""Shared test helpers: fixture paths, loading recorded payloads, sorting results."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from kanalvakt.capture.types import CapturedItem, CaptureError, Skipped

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_json(*parts: str) -> Any:
    return json.loads(FIXTURES.joinpath(*parts).read_text(encoding="utf-8"))


def cassette_body(name: str, interaction: int) -> Any:
    """The JSON body of one recorded HTTP interaction of a vcrpy cassette."""
    cassette = yaml.safe_load(FIXTURES.joinpath("mastodon", name).read_text(encoding="utf-8"))
    return json.loads(cassette["interactions"][interaction]["response"]["body"]["string"])


def cassette_header(name: str, interaction: int, header: str) -> str | None:
    cassette = yaml.safe_load(FIXTURES.joinpath("mastodon", name).read_text(encoding="utf-8"))
    headers = cassette["interactions"][interaction]["response"]["headers"]
    values = next((v for k, v in headers.items() if k.lower() == header.lower()), None)
    return values[0] if values else None


def split(results: Iterable[Any]) -> tuple[list[CapturedItem], list[CaptureError], list[Skipped]]:
    items, errors, skipped = [], [], []
    for result in results:
        if isinstance(result, CapturedItem):
            items.append(result)
        elif isinstance(result, CaptureError):
            errors.append(result)
        elif isinstance(result, Skipped):
            skipped.append(result)
        else:  # pragma: no cover - the contract has exactly three result types
            raise AssertionError(f"unexpected result {result!r}")
    return items, errors, skipped


def assert_aware_utc(item: CapturedItem) -> None:
    for value in (item.created_at, item.edited_at, item.deleted_at):
        if value is not None:
            assert value.utcoffset() is not None and value.utcoffset().total_seconds() == 0


def assert_json_raw(item: CapturedItem) -> None:
    json.dumps(item.raw)  # raw must stay JSON-compatible
