"""HTTP to the platforms: timeouts, retries of transient failures with back-off, rate
limits honoured (Retry-After, Meta's usage headers), and a rejected token told apart from
every other failure, because it needs a person (the owner deposits a new token)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

USER_AGENT = "Kanalvakt/1.0 (+https://github.com/osby-kommun/kanalvakt)"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_ATTEMPTS = 4
MAX_INLINE_WAIT = 60.0  # longer waits end the run; the connection is polled again later
# Meta error codes meaning the token is expired, revoked or lacks the permission.
META_TOKEN_CODES = frozenset({102, 190, 463, 467})
# Meta error codes meaning "slow down" (application/user/page/business rate limits).
META_RATE_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008})
META_USAGE_HEADERS = ("x-app-usage", "x-page-usage", "x-ad-account-usage")
META_BUSINESS_HEADER = "x-business-use-case-usage"
USAGE_SLOW_DOWN = 75  # percent of a Meta quota used: pause a little between calls
USAGE_STOP = 95  # percent: stop now, resume after Meta's estimate


class PlatformError(Exception):
    """A failure after retries; the run stops and is retried at the next poll."""


class TokenRejected(PlatformError):
    """The platform refused the access token (expired, revoked, missing permission)."""


class RateLimited(PlatformError):
    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Response:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    def json(self) -> Any:
        return json.loads(self.body)


class PlatformHTTP:
    """One client per run. ``sleep`` is injectable so tests do not wait."""

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = MAX_ATTEMPTS,
    ):
        self.client = client or httpx.Client(
            timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}, follow_redirects=True
        )
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.requests = 0
        self.waited = 0.0

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, *, params: dict | None = None, headers: dict | None = None) -> Response:
        delay = 1.0
        for attempt in range(1, self.max_attempts + 1):
            self.requests += 1
            try:
                raw = self.client.get(url, params=params, headers=headers)
            except httpx.TransportError as exc:
                if attempt == self.max_attempts:
                    raise PlatformError(f"network error: {type(exc).__name__}") from None
                self._wait(delay)
                delay *= 2
                continue
            response = Response(raw.status_code, raw.headers, raw.content, redact(str(raw.url)))
            wait = self._rate_wait(response)
            if wait is not None:
                if wait > MAX_INLINE_WAIT or attempt == self.max_attempts:
                    raise RateLimited(f"rate limited by {_host(url)}", wait)
                self._wait(wait)
                continue
            self._check_token(response)
            if response.status >= 500 or response.status == 408:
                if attempt == self.max_attempts:
                    raise PlatformError(f"{_host(url)} answered {response.status}")
                self._wait(delay)
                delay *= 2
                continue
            if response.status >= 400:
                raise PlatformError(f"{_host(url)} answered {response.status}: {_brief(response)}")
            self._pace_by_usage(response)
            return response
        raise PlatformError("unreachable")  # pragma: no cover

    def get_json(self, url: str, **kwargs) -> tuple[Any, Response]:
        response = self.get(url, **kwargs)
        try:
            return response.json(), response
        except ValueError:
            raise PlatformError(f"{_host(url)} sent a body that is not JSON") from None

    def _wait(self, seconds: float) -> None:
        seconds = max(0.0, seconds) * (1 + random.random() * 0.1)
        self.waited += seconds
        self.sleep(seconds)

    def _rate_wait(self, response: Response) -> float | None:
        meta_code = _meta_error_code(response)
        if response.status != 429 and meta_code not in META_RATE_CODES:
            return None
        retry_after = response.headers.get("retry-after")
        if retry_after:
            try:
                return float(retry_after)
            except ValueError:
                pass  # an HTTP date: fall back to Meta's estimate or a minute
        return _meta_regain_seconds(response.headers) or 60.0

    def _check_token(self, response: Response) -> None:
        if response.status == 401 or _meta_error_code(response) in META_TOKEN_CODES:
            raise TokenRejected(
                f"{_host(response.url)} refused the access token: {_brief(response)}"
            )

    def _pace_by_usage(self, response: Response) -> None:
        used = meta_usage_percent(response.headers)
        if used >= USAGE_STOP:
            raise RateLimited(
                f"Meta quota {used}% used", _meta_regain_seconds(response.headers) or 600.0
            )
        if used >= USAGE_SLOW_DOWN:
            self._wait(2.0 * (used - USAGE_SLOW_DOWN + 1) / 5)


def meta_usage_percent(headers: httpx.Headers) -> int:
    """The highest percentage of any Meta quota the last call reported."""
    highest = 0
    for name in META_USAGE_HEADERS:
        highest = max(highest, _max_percent(_parse_header_json(headers.get(name))))
    business = _parse_header_json(headers.get(META_BUSINESS_HEADER))
    if isinstance(business, dict):
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                highest = max(highest, _max_percent(entry))
    return highest


def _max_percent(usage: Any) -> int:
    if not isinstance(usage, dict):
        return 0
    keys = ("call_count", "total_time", "total_cputime", "acc_id_util_pct")
    values = [usage.get(k) for k in keys]
    return max((int(v) for v in values if isinstance(v, int | float)), default=0)


def _meta_regain_seconds(headers: httpx.Headers) -> float | None:
    business = _parse_header_json(headers.get(META_BUSINESS_HEADER))
    minutes = []
    if isinstance(business, dict):
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                value = (
                    entry.get("estimated_time_to_regain_access")
                    if isinstance(entry, dict)
                    else None
                )
                if isinstance(value, int | float) and value > 0:
                    minutes.append(value)
    return max(minutes) * 60.0 if minutes else None


def _parse_header_json(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _meta_error_code(response: Response) -> int | None:
    if response.status < 400 or b'"error"' not in response.body[:2000]:
        return None
    try:
        error = response.json().get("error") or {}
        return int(error.get("code"))
    except (ValueError, TypeError, AttributeError):
        return None


def _brief(response: Response) -> str:
    text = response.body[:300].decode("utf-8", "replace")
    return " ".join(text.split())


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


SECRET_PARAMS = frozenset({"access_token", "key", "appsecret_proof", "client_secret"})


def redact(url: str) -> str:
    """A URL without secrets in its query (Graph's paging links embed the access token)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in SECRET_PARAMS
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
