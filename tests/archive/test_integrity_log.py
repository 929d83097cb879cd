"""The integrity log over the live archive: append, sign, prove, and tamper detection.

Each tamper test changes one thing behind the application's back (a text, a media file,
a log entry, a tree head) and expects `kanalvakt archive verify` to exit 1 naming it.
"""

from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kanalvakt.archive import integrity
from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.integrity_export import verify_export, write_export
from kanalvakt.archive.integrity_models import LogHead, LogLeaf, SignedTreeHeadRow
from kanalvakt.archive.merkle import verify_inclusion
from kanalvakt.archive.models import ItemVersion, Media, sha256_hex
from kanalvakt.archive.verify_core import (
    CONTENT_MISMATCH,
    LEAF_MISMATCH,
    RECORD_MISSING,
    ROOT_MISMATCH,
    SIGNATURE_INVALID,
)
from kanalvakt.capture.types import CapturedItem
from kanalvakt.cli import main
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def signing_key_file(settings, tmp_path):
    settings.ARCHIVE_SIGNING_KEY_FILE = tmp_path / "keys" / "archive-signing.pem"
    settings.ARCHIVE_TSA_URL = ""


def captured(external_id, text):
    return CapturedItem(
        platform="facebook",
        external_id=external_id,
        kind="post",
        parent_external_id=None,
        root_external_id=external_id,
        author_external_id="111",
        author_display_name="Osby kommun",
        author_is_owner=True,
        text=text,
        created_at=T0,
        raw={"id": external_id, "message": text},
    )


@pytest.fixture
def archive():
    """Three posts, one with a stored media file, all logged under a signed head."""
    channel = make_channel(platform="facebook", handle="osbykommun.test")
    ingest(channel, [captured(f"1_{n}", f"Inlägg nummer {n} från Osby") for n in range(3)],
           source="test")  # fmt: skip
    item = ItemVersion.objects.order_by("pk").first().item
    data = b"\x89PNG fake image bytes"
    name = default_storage.save(f"test-media/{sha256_hex(data)}", ContentFile(data))
    Media.objects.create(
        item=item, identity_key="img-1", source_url="https://example.org/a.png",
        sha256=sha256_hex(data), size=len(data), file=name, fetched_at=T0,
    )  # fmt: skip
    integrity.append_pending()
    integrity.sign_current_head()
    return channel


def run_verify(capsys):
    code = main(["archive", "verify"])
    return code, capsys.readouterr().out


@pytest.mark.req("R7.2")
def test_every_version_and_fetched_media_is_logged_once(archive):
    assert LogLeaf.objects.count() == 4
    assert integrity.append_pending() == 0  # idempotent: the high-water mark
    assert sorted(LogLeaf.objects.values_list("kind", flat=True)) == [
        "item_version", "item_version", "item_version", "media",
    ]  # fmt: skip
    assert LogHead.objects.get().size == 4
    assert SignedTreeHeadRow.objects.get().size == 4
    assert integrity.sign_current_head() is None  # nothing new to sign


def test_media_without_a_file_yet_is_logged_once_fetched(archive):
    item = ItemVersion.objects.first().item
    media = Media.objects.create(item=item, identity_key="img-2", source_url="https://e.org/b")
    assert integrity.append_pending() == 0
    media.sha256 = sha256_hex(b"later")
    media.save()
    assert integrity.append_pending() == 1


@pytest.mark.req("R7.2")
def test_untouched_archive_verifies(archive, capsys):
    code, out = run_verify(capsys)
    assert code == 0, out
    assert "OK" in out and "records checked 4" in out and "contents checked 4" in out


@pytest.mark.req("R7.2")
def test_altered_text_is_named(archive, capsys):
    version = ItemVersion.objects.order_by("pk")[1]
    ItemVersion.objects.filter(pk=version.pk).update(text="Ändrad i efterhand")
    code, out = run_verify(capsys)
    assert code == 1
    assert CONTENT_MISMATCH in out and f"item_version {version.pk} (log index 1)" in out


@pytest.mark.req("R7.2")
def test_altered_media_file_is_named(archive, capsys):
    media = Media.objects.get()
    default_storage.delete(media.file)
    default_storage.save(media.file, ContentFile(b"another picture"))
    code, out = run_verify(capsys)
    assert code == 1
    assert CONTENT_MISMATCH in out and f"media {media.pk}" in out


@pytest.mark.req("R7.2")
def test_altered_record_hash_is_named(archive, capsys):
    version = ItemVersion.objects.order_by("pk")[2]
    ItemVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)
    code, out = run_verify(capsys)
    assert code == 1 and LEAF_MISMATCH in out and f"item_version {version.pk}" in out


@pytest.mark.req("R7.2")
def test_altered_log_entry_is_named(archive, capsys):
    LogLeaf.objects.filter(index=0).update(leaf_hash=b"\x01" * 32)
    code, out = run_verify(capsys)
    assert code == 1 and LEAF_MISMATCH in out and "(log index 0)" in out


@pytest.mark.req("R7.2")
def test_deleted_record_is_named(archive, capsys):
    version = ItemVersion.objects.order_by("pk")[1]
    ItemVersion.objects.filter(pk=version.pk).delete()
    code, out = run_verify(capsys)
    assert code == 1 and RECORD_MISSING in out and "log entry 1" in out


@pytest.mark.req("R7.2")
def test_record_and_log_rewritten_together_fail_the_signed_head(archive, capsys):
    version = ItemVersion.objects.order_by("pk")[1]
    forged = "f" * 64
    ItemVersion.objects.filter(pk=version.pk).update(sha256=forged)
    version.refresh_from_db()
    leaf = integrity.record_leaf_hash(
        "item_version", version.pk, forged, integrity.version_metadata(version)
    )
    LogLeaf.objects.filter(index=1).update(leaf_hash=leaf)
    code, out = run_verify(capsys)
    assert code == 1 and ROOT_MISMATCH in out


@pytest.mark.req("R7.2")
def test_altered_tree_head_is_named(archive, capsys):
    row = SignedTreeHeadRow.objects.get()
    row.document = row.document.replace('"size":4', '"size":3')
    row.save()
    code, out = run_verify(capsys)
    assert code == 1 and SIGNATURE_INVALID in out and "size 3" in out


def test_inclusion_proof_checks_against_the_signed_head(archive):
    version = ItemVersion.objects.order_by("pk")[2]
    proof = integrity.inclusion_proof("item_version", version.pk)
    assert proof["index"] == 2
    assert verify_inclusion(
        proof["index"],
        proof["tree_head"]["size"],
        bytes.fromhex(proof["leaf_hash"]),
        [bytes.fromhex(h) for h in proof["path"]],
        bytes.fromhex(proof["tree_head"]["root_hash"]),
    )


@pytest.mark.req("R7.2")
def test_export_verifies_offline_and_names_tampering(archive, tmp_path, capsys):
    directory = tmp_path / "export"
    assert main(["archive", "export-log", str(directory)]) == 0
    capsys.readouterr()
    assert main(["archive", "verify-export", str(directory)]) == 0
    assert verify_export(directory).records_checked == 4
    version = ItemVersion.objects.order_by("pk").first()
    content = directory / "content" / "item_version" / str(version.pk)
    content.write_bytes(content.read_bytes().replace(b"nummer", b"NUMMER"))
    report = verify_export(directory)
    assert not report.ok
    assert report.first_problem.code == CONTENT_MISMATCH
    assert report.first_problem.record_id == str(version.pk)
    assert main(["archive", "verify-export", str(directory)]) == 1


def test_export_refuses_content_paths_outside_it(archive, tmp_path):
    directory = tmp_path / "export"
    write_export(directory)
    records = directory / "records.jsonl"
    records.write_text(records.read_text().replace('"content/', '"../../', 1))
    from kanalvakt.archive.integrity_export import ExportError

    with pytest.raises(ExportError):
        verify_export(directory)


def test_capture_signal_appends_to_the_log():
    channel = make_channel(platform="facebook", handle="osbykommun.signal")
    ingest(channel, [captured("2_1", "Hej Osby")], source="test")
    # Test settings run tasks inline; the receiver enqueues append_to_log.
    assert LogLeaf.objects.filter(kind="item_version").count() in (0, 1)
    integrity.append_pending()
    assert LogLeaf.objects.count() == 1


def test_proofs_use_stored_subtrees_instead_of_reading_every_leaf(monkeypatch):
    from kanalvakt.archive.integrity_models import LogNode

    channel = make_channel(platform="facebook", handle="osbykommun.noder")
    ingest(channel, [captured(f"n_{n}", f"Inlägg {n}") for n in range(300)], source="test")
    integrity.append_pending()
    integrity.sign_current_head()
    assert list(LogNode.objects.values_list("level", "index")) == [(8, 0)]  # leaves 0–255
    read = []
    original = integrity.leaf_hashes
    monkeypatch.setattr(
        integrity,
        "leaf_hashes",
        lambda start, end: read.append(end - start) or original(start, end),
    )
    last = ItemVersion.objects.order_by("pk").last()
    proof = integrity.inclusion_proof("item_version", last.pk)
    assert proof["index"] == 299 and sum(read) <= 44  # only leaves 256–299, not all 300
    assert verify_inclusion(
        299,
        300,
        bytes.fromhex(proof["leaf_hash"]),
        [bytes.fromhex(h) for h in proof["path"]],
        bytes.fromhex(proof["tree_head"]["root_hash"]),
    )
