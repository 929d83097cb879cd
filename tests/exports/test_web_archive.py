"""Web archive export (WARC/WACZ): what goes in, and that `warcio check` and
`wacz validate` accept it (and `warcio check` rejects a corrupted copy)."""

import gzip
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from warcio.archiveiterator import ArchiveIterator

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item, Media, sha256_hex
from kanalvakt.capture.types import CapturedItem
from kanalvakt.cli import main
from kanalvakt.screenshots import storage
from kanalvakt.screenshots.models import Screenshot, ScreenshotFile
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BIN = Path(sys.executable).parent  # the project venv's console scripts
PNG = b"\x89PNG\r\n\x1a\n fake screenshot bytes"


def captured(external_id, text, days=0, kind="post"):
    url = "" if kind == "direct_message" else f"https://www.facebook.com/osby/posts/{external_id}"
    return CapturedItem(
        platform="facebook", external_id=external_id, kind=kind, parent_external_id=None,
        root_external_id=external_id, author_external_id="111",
        author_display_name="Osby kommun", author_is_owner=True, text=text,
        created_at=T0 + timedelta(days=days), raw={"id": external_id, "message": text},
        url=url,
    )  # fmt: skip


@pytest.fixture
def channel():
    channel = make_channel(platform="facebook", handle="osby.webb")
    ingest(channel, [captured("w1", "Välkommen till Osby"), captured("w2", "Senare", days=10),
                     captured("d1", "Hej kommunen", kind="direct_message")],
           source="test")  # fmt: skip
    item = Item.objects.get(external_id="w1")
    data = b"GIF89a fake media"
    name = default_storage.save(f"test-media/{sha256_hex(data)}", ContentFile(data))
    Media.objects.create(
        item=item, identity_key="img-1", source_url="https://cdn.example.org/a.gif",
        mime_type="image/gif", sha256=sha256_hex(data), size=len(data), file=name, fetched_at=T0,
    )  # fmt: skip
    shot = Screenshot.objects.create(
        channel=channel, kind=Screenshot.Kind.MANUAL, source=Screenshot.Source.AUTOMATIC,
        status=Screenshot.Status.ACCEPTED, reason="test", url="https://www.facebook.com/osby",
        taken_at=T0 + timedelta(hours=1), taken_by_label="system",
    )  # fmt: skip
    stored_name, digest = storage.store(PNG, "image/png")
    ScreenshotFile.objects.create(
        screenshot=shot, role="image", content_type="image/png", name=stored_name,
        sha256=digest, size=len(PNG),
    )  # fmt: skip
    return channel


def run(tool, *args):
    return subprocess.run([str(BIN / tool), *args], capture_output=True, text=True, timeout=120)


def records(path):
    with open(path, "rb") as handle:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read(),
             r.rec_headers)
            for r in ArchiveIterator(handle)
        ]  # fmt: skip


def test_warc_holds_items_media_and_screenshots_and_passes_warcio_check(channel, tmp_path):
    out = tmp_path / "osby.warc.gz"
    code = main(["export", "warc", "--channel", str(channel.pk), "--to", "2026-03-05", str(out)])
    assert code == 0
    found = records(out)
    assert found[0][0] == "warcinfo"
    assert b"Kanalvakt" in found[0][2] and b"Osby kommun" in found[0][2]
    by_uri = {(kind, uri): (payload, headers) for kind, uri, payload, headers in found}
    payload, headers = by_uri[("resource", "https://www.facebook.com/osby/posts/w1")]
    assert json.loads(payload)["message"] == "Välkommen till Osby"
    assert headers.get_header("WARC-Date").startswith("20")
    meta, _ = by_uri[("metadata", "https://www.facebook.com/osby/posts/w1")]
    assert json.loads(meta)["public_record_status"] == "drawn_up"
    assert by_uri[("resource", "https://cdn.example.org/a.gif")][0] == b"GIF89a fake media"
    shot, shot_headers = by_uri[("resource", "https://www.facebook.com/osby")]
    assert shot == PNG and shot_headers.get_header("WARC-Date") == "2026-03-02T10:00:00Z"
    assert not any("w2" in (uri or "") for _k, uri, _p, _h in found)  # after --to
    assert ("resource", "urn:kanalvakt:item:facebook:d1") in by_uri  # no permalink
    result = run("warcio", "check", "-v", str(out))
    assert result.returncode == 0, result.stdout + result.stderr


def test_corrupted_warc_fails_warcio_check(channel, tmp_path):
    out = tmp_path / "osby.warc.gz"
    assert main(["export", "warc", "--channel", str(channel.pk), str(out)]) == 0
    raw = gzip.decompress(out.read_bytes())
    assert b"Osby kommun" in raw
    broken = tmp_path / "broken.warc"
    broken.write_bytes(raw.replace("Välkommen".encode(), "Vålkommen".encode(), 1))
    result = run("warcio", "check", str(broken))
    assert result.returncode != 0, result.stdout


def test_wacz_passes_wacz_validate(channel, tmp_path):
    out = tmp_path / "osby.wacz"
    assert main(["export", "wacz", "--channel", str(channel.pk), str(out)]) == 0
    result = run("wacz", "validate", "-f", str(out))
    assert result.returncode == 0 and "is valid" in result.stdout, result.stdout + result.stderr
    import zipfile

    with zipfile.ZipFile(out) as package:
        names = set(package.namelist())
        pages = package.read("pages/pages.jsonl").decode().splitlines()
    assert {"datapackage.json", "indexes/index.cdx.gz", "pages/pages.jsonl"} <= names
    assert any(n.startswith("archive/") and n.endswith(".warc.gz") for n in names)
    assert len(pages) == 3  # header + both items with a permalink


def test_bad_input_is_refused_and_nothing_is_written(channel, tmp_path, capsys):
    out = tmp_path / "x.warc.gz"
    assert main(["export", "warc", "--channel", "999999", str(out)]) == 2
    assert "no channel" in capsys.readouterr().err and not out.exists()
    args = ["export", "warc", "--channel", str(channel.pk), "--from", "2026-03-05"]
    assert main([*args, "--to", "2026-03-01", str(out)]) == 2
    assert main(["export", "wacz", "--channel", str(channel.pk), str(tmp_path / "x.zip")]) == 2
    assert not list(tmp_path.glob("*"))  # no temporary files left behind either
    with pytest.raises(SystemExit):
        main(["export", "warc", "--channel", str(channel.pk), "--from", "igår", str(out)])
