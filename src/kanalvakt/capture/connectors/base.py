"""The one Connector protocol, and the registry of platform plugins.

A run is a queue of small JSON tasks ("fetch page P of stream S", "fetch the comments of
post X"). A connector gives the first tasks and fetches one task at a time; each fetch
returns results, the next page of the same task (if any) and follow-up tasks. The runner
stores the remaining queue as the connection's cursor in the same transaction as the
page's items, so a killed run resumes exactly where it stopped and refetches nothing it
already committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

from kanalvakt.capture.connectors.http import PlatformHTTP
from kanalvakt.capture.types import CaptureResult, ChannelIdentity

Task = dict[str, Any]  # JSON: stored in the cursor


@dataclass
class FetchContext:
    identity: ChannelIdentity
    token: str | None
    options: dict[str, Any]
    since: datetime  # start of the refetch window
    http: PlatformHTTP


@dataclass
class Fetched:
    results: list[CaptureResult]
    next_page: Any = None  # a page token/URL of the same task; None: the task is done
    follow_ups: list[Task] = field(default_factory=list)


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str


class Connector(Protocol):
    key: ClassVar[str]
    platform: ClassVar[str]
    label: ClassVar[str]
    needs_token: ClassVar[bool]
    # False when a platform's listing is truncated (RSS), so absence says nothing.
    detects_deletions: ClassVar[bool]

    def initial_tasks(self, ctx: FetchContext) -> list[Task]: ...

    def fetch(self, ctx: FetchContext, task: Task) -> Fetched: ...

    def health(self, ctx: FetchContext) -> Health: ...


CONNECTORS: dict[str, Connector] = {}


def register(cls: type) -> type:
    CONNECTORS[cls.key] = cls()
    return cls


def get_connector(key: str) -> Connector:
    _load_plugins()
    try:
        return CONNECTORS[key]
    except KeyError:
        raise KeyError(f"no connector {key!r}; known: {', '.join(sorted(CONNECTORS))}") from None


def connector_choices() -> list[tuple[str, str]]:
    _load_plugins()
    return [(key, c.label) for key, c in sorted(CONNECTORS.items())]


def _load_plugins() -> None:
    from kanalvakt.capture import connectors  # noqa: F401 - importing registers the plugins


def older_than_window(times: Iterable[datetime | None], since: datetime) -> bool:
    """True when a newest-first page reached items older than the window: stop paging."""
    known = [t for t in times if t is not None]
    return bool(known) and min(known) < since


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def guard_page(platform: str, parse: Callable[[], list[CaptureResult]]) -> list[CaptureResult]:
    """A page whose envelope cannot be read becomes one CaptureError, the run goes on."""
    from kanalvakt.capture.normalize._common import MALFORMED, describe
    from kanalvakt.capture.types import CaptureError

    try:
        return parse()
    except MALFORMED as exc:
        return [CaptureError(platform, None, f"unreadable page: {describe(exc)}", None)]
