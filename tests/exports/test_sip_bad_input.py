"""`kanalvakt export sip` refuses bad input with a clear English error, and neither bad
input nor a failure half-way leaves a package or a half-written folder behind."""

import pytest

from kanalvakt.cli import main
from kanalvakt.exports import sip
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(settings, tmp_path):
    settings.ARCHIVE_SIGNING_KEY_FILE = tmp_path / "keys" / "archive-signing.pem"
    settings.VAR_DIR = tmp_path / "var"
    return make_channel(platform="facebook", handle="osbykommun.sip")


def export(channel_id, out, start="2026-03-01", end="2026-03-31"):
    return main(["export", "sip", "--channel", str(channel_id), "--from", start, "--to", end,
                 str(out)])  # fmt: skip


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


def test_unknown_channel(channel, tmp_path, capsys):
    assert export(channel.pk + 1000, tmp_path / "out") == 2
    assert f"no channel with id {channel.pk + 1000}" in capsys.readouterr().err
    assert "out" not in leftovers(tmp_path)


def test_from_after_to(channel, tmp_path, capsys):
    assert export(channel.pk, tmp_path / "out", "2026-04-01", "2026-03-01") == 2
    assert "--from 2026-04-01 is after --to 2026-03-01" in capsys.readouterr().err


def test_bad_date_is_refused_by_the_parser(channel, tmp_path, capsys):
    with pytest.raises(SystemExit):
        export(channel.pk, tmp_path / "out", "1 mars")
    assert "not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_out_exists_and_is_not_empty(channel, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert export(channel.pk, out) == 2
    assert "already exists and is not an empty folder" in capsys.readouterr().err
    assert leftovers(out) == ["keep.txt"]


def test_empty_out_folder_is_used(channel, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert export(channel.pk, out) == 0, capsys.readouterr().err
    assert (out / "METS.xml").is_file()
    assert not [name for name in leftovers(tmp_path) if ".partial-" in name]


def test_a_failure_half_way_leaves_nothing(channel, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(sip, "write_premis", broken)
    with pytest.raises(OSError, match="disk full"):
        export(channel.pk, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not [name for name in leftovers(tmp_path) if ".partial-" in name]
