"""Screenshots in the integrity log (R7.7 stored with a checksum): every stored screenshot
file is appended as a `screenshot` record, `kanalvakt archive verify` re-hashes it, and a
file changed behind the application's back is named."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kanalvakt.archive import integrity
from kanalvakt.archive.integrity_export import verify_export, write_export
from kanalvakt.archive.integrity_models import LogLeaf
from kanalvakt.archive.verify_core import CONTENT_MISMATCH, LEAF_MISMATCH
from kanalvakt.cli import main
from kanalvakt.organisation.access import SystemActor
from kanalvakt.screenshots.actions import record_capture
from kanalvakt.screenshots.browser import CaptureResult
from kanalvakt.screenshots.models import ScreenshotFile
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def isolated_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARCHIVE_SIGNING_KEY_FILE = tmp_path / "keys" / "archive-signing.pem"
    settings.ARCHIVE_TSA_URL = ""


def png(colour) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def screenshot(django_capture_on_commit_callbacks):
    channel = make_channel(platform="facebook", handle="osby.shots")
    result = CaptureResult(
        url=channel.url,
        final_url=channel.url,
        http_status=200,
        png=png((10, 120, 60)),
        pdf=b"%PDF-1.4\n% test\n",
        started_at=1.0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        shot = record_capture(SystemActor("test"), channel, result, kind="periodic", reason="test")
    integrity.append_pending()
    integrity.sign_current_head()
    return shot


def verify(capsys):
    code = main(["archive", "verify"])
    return code, capsys.readouterr().out


@pytest.mark.req("R7.7")
def test_every_screenshot_file_is_logged_once_and_verifies(screenshot, capsys):
    files = ScreenshotFile.objects.filter(screenshot=screenshot)
    assert files.count() == 2
    logged = LogLeaf.objects.filter(kind=integrity.SCREENSHOT)
    assert set(logged.values_list("record_pk", flat=True)) == set(
        files.values_list("pk", flat=True)
    )
    assert integrity.append_pending() == 0
    code, out = verify(capsys)
    assert code == 0, out
    assert "contents checked 2" in out


@pytest.mark.req("R7.7")
def test_the_signal_appends_without_waiting_for_the_schedule(django_capture_on_commit_callbacks):
    channel = make_channel(platform="facebook", handle="osby.shots2")
    result = CaptureResult(url=channel.url, png=png((1, 2, 3)), started_at=1.0)
    with django_capture_on_commit_callbacks(execute=True):
        shot = record_capture(SystemActor("test"), channel, result, kind="periodic", reason="x")
    # The test settings run tasks at once; the receiver enqueued append_to_log.
    image = ScreenshotFile.objects.get(screenshot=shot)
    assert LogLeaf.objects.filter(kind="screenshot", record_pk=image.pk).exists()


@pytest.mark.req("R7.7")
def test_a_changed_screenshot_file_is_named(screenshot, capsys, tmp_path):
    image = ScreenshotFile.objects.get(screenshot=screenshot, role="image")
    default_storage.delete(image.name)
    default_storage.save(image.name, ContentFile(png((200, 0, 0))))
    code, out = verify(capsys)
    assert code == 1
    leaf = LogLeaf.objects.get(kind="screenshot", record_pk=image.pk)
    assert CONTENT_MISMATCH in out
    assert f"screenshot {image.pk} (log index {leaf.index})" in out
    # The offline check of an export finds the same.
    write_export(tmp_path / "export")
    report = verify_export(tmp_path / "export")
    assert [p.code for p in report.problems] == [CONTENT_MISMATCH]


@pytest.mark.req("R7.7")
def test_a_rewritten_screenshot_checksum_is_named(screenshot, capsys):
    pdf = ScreenshotFile.objects.get(screenshot=screenshot, role="pdf")
    ScreenshotFile.objects.filter(pk=pdf.pk).update(sha256="0" * 64)
    code, out = verify(capsys)
    assert code == 1
    assert LEAF_MISMATCH in out and f"screenshot {pdf.pk}" in out
