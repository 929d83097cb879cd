"""Capturing a public page with Debian's Chromium through Playwright.

One browser per run (`ScreenshotBrowser`), a fresh context per capture (a clean profile:
no cookies, cache or storage carried from one account to the next), closed afterwards so
memory stays flat however many pages a run takes. Playwright's event loop runs in a thread
of its own, so the caller's thread can use the Django ORM between captures without
Django's async-safety guard ever seeing a running loop.

A capture never raises for what the page does: time-outs, oversized pages, error statuses,
login walls and captchas come back as a `CaptureResult` with `failure` set.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from kanalvakt.screenshots import conf, rules

# The flags that let Debian's Chromium run headless in containers and CI, without phoning
# home. tests/conftest.py keeps its own copy for the browser tests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Failure:
    """Why automation could not see the page (stored on the Screenshot)."""

    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    HTTP_ERROR = "http_error"
    BLOCKED = "blocked"
    LOGIN_WALL = "login_wall"
    NETWORK = "network"
    BROWSER = "browser"


@dataclass
class CaptureResult:
    url: str
    platform_key: str = ""
    final_url: str = ""
    http_status: int | None = None
    png: bytes | None = None
    pdf: bytes | None = None
    user_agent: str = ""
    viewport: tuple[int, int] = (0, 0)
    started_at: float = 0.0
    seconds: float = 0.0
    bytes_received: int = 0
    truncated: bool = False
    failure: str = ""
    detail: str = ""
    blocked_requests: int = 0
    popups_closed: int = 0
    consent_clicked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failure


class _PageTooLarge(Exception):
    pass


class _Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def ms(self, at_most: float | None = None) -> float:
        left = max(1.0, (self.end - time.monotonic()) * 1000)
        return min(left, at_most) if at_most is not None else left

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.end


class _Job:
    def __init__(self, url: str, platform_key: str, with_pdf: bool):
        self.url, self.platform_key, self.with_pdf = url, platform_key, with_pdf
        self.result: CaptureResult | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class ScreenshotBrowser:
    """`with ScreenshotBrowser() as browser: browser.capture(url, platform_key="instagram")`"""

    def __init__(
        self,
        executable: str | None = None,
        *,
        timeout: float | None = None,
        max_bytes: int | None = None,
        max_height: int | None = None,
        viewport: tuple[int, int] | None = None,
    ):
        self.executable = executable or settings.KANALVAKT_CHROMIUM or "/usr/bin/chromium"
        self.timeout = float(timeout or conf.get("SCREENSHOT_TIMEOUT_SECONDS"))
        self.max_bytes = int(max_bytes or conf.get("SCREENSHOT_MAX_PAGE_BYTES"))
        self.max_height = int(max_height or conf.get("SCREENSHOT_MAX_HEIGHT_PX"))
        self.viewport = tuple(viewport or conf.get("SCREENSHOT_VIEWPORT"))
        self.user_agent = ""
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> ScreenshotBrowser:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kanalvakt-browser", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            raise RuntimeError(
                f"Chromium could not be started ({self.executable}): {self._startup_error}"
            ) from self._startup_error

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout=30)
        self._thread = None

    def capture(self, url: str, *, platform_key: str = "", with_pdf: bool = True):
        if self._thread is None or not self._thread.is_alive():
            raise RuntimeError("the browser is not running; use it as a context manager")
        job = _Job(url, platform_key, with_pdf)
        self._jobs.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    # -- the browser thread ------------------------------------------------------------
    def _launch(self, playwright):
        browser = playwright.chromium.launch(
            executable_path=self.executable, args=CHROMIUM_ARGS, timeout=60_000
        )
        # Headless Chromium says so in its user agent, which many sites answer with a bot
        # wall; present as the same Chrome version a visitor would run (recorded as used).
        context = browser.new_context()
        page = context.new_page()
        self.user_agent = page.evaluate("navigator.userAgent").replace("HeadlessChrome", "Chrome")
        context.close()
        return browser

    def _run(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            manager = sync_playwright()
            playwright = manager.start()
        except BaseException as exc:
            self._startup_error = exc
            self._ready.set()
            return
        try:
            browser = self._launch(playwright)
        except BaseException as exc:
            self._startup_error = exc
            manager.__exit__(None, None, None)
            self._ready.set()
            return
        self._ready.set()
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    if not browser.is_connected():  # crashed: one relaunch, then go on
                        browser = self._launch(playwright)
                    job.result = self._capture(browser, job)
                except BaseException as exc:
                    job.error = exc
                finally:
                    job.done.set()
        finally:
            try:
                browser.close()
            finally:
                manager.__exit__(None, None, None)

    def _capture(self, browser, job: _Job) -> CaptureResult:
        from playwright.sync_api import Error as PlaywrightError

        width, height = self.viewport
        result = CaptureResult(
            url=job.url,
            platform_key=job.platform_key,
            user_agent=self.user_agent,
            viewport=(width, height),
            started_at=time.time(),
        )
        started = time.monotonic()
        deadline = _Deadline(self.timeout)
        context = browser.new_context(
            viewport={"width": width, "height": height},
            user_agent=self.user_agent,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            accept_downloads=False,
            service_workers="block",
        )
        try:
            page = context.new_page()
            self._guard(context, page, result, job.url)
            try:
                self._load_and_shoot(page, context, result, deadline, job)
            except _PageTooLarge:
                result.failure = Failure.TOO_LARGE
                result.detail = f"the page downloaded more than {self.max_bytes} bytes"
            except PlaywrightError as exc:
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                if deadline.passed or "Timeout" in type(exc).__name__ or "Timeout" in message:
                    result.failure = Failure.TIMEOUT
                    result.detail = f"not loaded within {self.timeout:g} s"
                elif "net::" in message:
                    result.failure = Failure.NETWORK
                    result.detail = message[:480]
                elif result.bytes_received > self.max_bytes:
                    result.failure = Failure.TOO_LARGE
                    result.detail = f"the page downloaded more than {self.max_bytes} bytes"
                else:
                    result.failure = Failure.BROWSER
                    result.detail = message[:480]
            if result.failure:
                result.png = result.pdf = None
        finally:
            context.close()
            result.seconds = time.monotonic() - started
        return result

    def _guard(self, context, page, result: CaptureResult, url: str) -> None:
        """Pop-ups closed, dialogs dismissed, trackers dropped, bytes counted."""
        first_party = rules.site_of(urlsplit(url).hostname or "")

        def close_popup(popup):
            if popup is not page:
                result.popups_closed += 1
                popup.close()

        context.on("page", close_popup)
        page.on("dialog", lambda dialog: dialog.dismiss())

        def filter_request(route):
            host = urlsplit(route.request.url).hostname or ""
            if rules.site_of(host) != first_party and rules.is_tracker(host):
                result.blocked_requests += 1
                route.abort("blockedbyclient")
            elif result.bytes_received > self.max_bytes:
                route.abort("blockedbyclient")
            else:
                route.continue_()

        context.route("**/*", filter_request)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")

        def count(event):
            # Encoded bytes on the wire, or the decoded ones when Chromium reports none.
            result.bytes_received += max(
                int(event.get("encodedDataLength") or 0), int(event.get("dataLength") or 0)
            )

        cdp.on("Network.dataReceived", count)

    def _wait_for(self, page, state: str, result: CaptureResult, deadline: _Deadline, cap=None):
        """Wait for a load state in short slices, so an oversized page is stopped as soon
        as it passes the limit rather than when it finishes (or the time runs out)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        end = _Deadline(cap / 1000) if cap is not None else deadline
        while True:
            if result.bytes_received > self.max_bytes:
                raise _PageTooLarge
            try:
                page.wait_for_load_state(state, timeout=min(deadline.ms(250), end.ms(250)))
                return True
            except PlaywrightTimeout:
                if end.passed and cap is not None:
                    return False  # an optional wait: go on with what has loaded
                if deadline.passed:
                    raise

    def _load_and_shoot(self, page, context, result, deadline: _Deadline, job: _Job) -> None:
        response = page.goto(job.url, wait_until="commit", timeout=deadline.ms())
        self._wait_for(page, "load", result, deadline)
        result.final_url = page.url
        result.http_status = response.status if response is not None else None
        if result.http_status is not None and result.http_status >= 400:
            blocked = result.http_status in (401, 403, 429)
            result.failure = Failure.BLOCKED if blocked else Failure.HTTP_ERROR
            result.detail = f"HTTP {result.http_status}"
            return
        # Late content (lazy images, client-side rendering): a short, bounded settle.
        self._wait_for(page, "networkidle", result, deadline, cap=deadline.ms(2000))
        self._dismiss_consent(page, result, deadline)
        wall = self._login_wall(page, job.platform_key)
        if wall:
            result.failure = Failure.LOGIN_WALL
            result.detail = f"login wall or captcha ({wall})"
            return
        full_height = page.evaluate(
            "Math.max(document.documentElement.scrollHeight,"
            " document.body ? document.body.scrollHeight : 0)"
        )
        shot = {"type": "png", "full_page": True, "timeout": deadline.ms()}
        if full_height > self.max_height:
            result.truncated = True
            shot["clip"] = {"x": 0, "y": 0, "width": self.viewport[0], "height": self.max_height}
        result.png = page.screenshot(**shot)
        if result.bytes_received > self.max_bytes:
            raise _PageTooLarge
        if job.with_pdf:
            page.emulate_media(media="screen")  # the PDF shows what the screen showed
            result.pdf = page.pdf(
                width=f"{self.viewport[0]}px", print_background=True, prefer_css_page_size=False
            )
        if deadline.passed:
            raise _deadline_error()

    def _dismiss_consent(self, page, result: CaptureResult, deadline: _Deadline) -> None:
        for selector in rules.consent_selectors(result.platform_key):
            try:
                button = page.locator(selector).first
                if button.count() and button.is_visible():
                    button.click(timeout=deadline.ms(2000))
                    result.consent_clicked.append(selector)
            except Exception:  # noqa: S112 - a rule that no longer matches must not fail
                continue
        if result.consent_clicked:
            page.wait_for_timeout(min(300, deadline.ms()))

    def _login_wall(self, page, platform_key: str) -> str:
        for selector in rules.login_wall_selectors(platform_key):
            try:
                match = page.locator(selector).first
                if match.count() and match.is_visible():
                    return selector
            except Exception:  # noqa: S112 - an invalid selector in the data is skipped
                continue
        return ""


def _deadline_error():
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    return PlaywrightTimeout("capture time limit passed")
