import io
import os
import shutil

import pytest

from kanalvakt.screenshots.browser import CaptureResult
from screenshots.local_pages import serve_pages


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored screenshots go to a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def pages():
    """Base URL of the local test pages (normal, slow, huge, error, pop-ups …)."""
    with serve_pages() as base:
        yield base


@pytest.fixture(scope="session")
def shot_browser():
    """One ScreenshotBrowser for the session, with limits small enough for tests."""
    from django.conf import settings

    from kanalvakt.screenshots.browser import ScreenshotBrowser

    chromium = settings.KANALVAKT_CHROMIUM
    if not (os.access(chromium, os.X_OK) or shutil.which(chromium)):
        pytest.skip(f"no Chromium at {chromium}: run scripts/ensure_system_packages.sh")
    with ScreenshotBrowser(timeout=4, max_bytes=2 * 1024 * 1024) as browser:
        yield browser


def tiny_png(colour=(10, 120, 60)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, format="PNG")
    return out.getvalue()


class FakeBrowser:
    """Stands in for Chromium where a test is about bookkeeping, not pages: returns a
    successful capture, or the failure it was told to return."""

    def __init__(self, failure: str = "", detail: str = ""):
        self.failure, self.detail = failure, detail
        self.urls: list[str] = []

    def capture(self, url, *, platform_key="", with_pdf=True):
        import time

        self.urls.append(url)
        result = CaptureResult(
            url=url,
            platform_key=platform_key,
            final_url=url,
            http_status=200,
            user_agent="Mozilla/5.0 (test)",
            viewport=(1280, 900),
            started_at=time.time(),
        )
        if self.failure:
            result.failure, result.detail = self.failure, self.detail
        else:
            result.png = tiny_png((len(self.urls) * 20 % 255, 100, 100))
            result.pdf = b"%PDF-1.4\n% fake\n"
        return result
