"""Opening export members inside a directory, a .zip or a .tar.gz, and
streaming JSON out of them without loading whole files."""

from __future__ import annotations

import fnmatch
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import ijson


class ExportArchive:
    """Uniform read access to the members of an export, whatever its packaging."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            self.kind = "dir"
        elif zipfile.is_zipfile(self.path):
            self.kind = "zip"
        elif tarfile.is_tarfile(self.path):
            self.kind = "tar"
        else:
            self.kind = "file"

    def names(self) -> list[str]:
        if self.kind == "dir":
            return sorted(
                str(p.relative_to(self.path)).replace("\\", "/")
                for p in self.path.rglob("*")
                if p.is_file()
            )
        if self.kind == "zip":
            with zipfile.ZipFile(self.path) as archive:
                return sorted(n for n in archive.namelist() if not n.endswith("/"))
        if self.kind == "tar":
            with tarfile.open(self.path) as archive:
                return sorted(m.name for m in archive.getmembers() if m.isfile())
        return [self.path.name]

    def find(self, pattern: str) -> list[str]:
        """Members whose base name matches ``pattern`` (shell-style)."""
        return [n for n in self.names() if fnmatch.fnmatch(n.rsplit("/", 1)[-1], pattern)]

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        if self.kind == "dir":
            with (self.path / name).open("rb") as handle:
                yield handle
        elif self.kind == "zip":
            with zipfile.ZipFile(self.path) as archive, archive.open(name) as handle:
                yield handle
        elif self.kind == "tar":
            with tarfile.open(self.path) as archive:
                member = archive.extractfile(name)
                if member is None:
                    raise FileNotFoundError(name)
                with member:
                    yield member
        else:
            with self.path.open("rb") as handle:
                yield handle


def skip_js_assignment(handle: IO[bytes]) -> IO[bytes]:
    """Advance past ``window.YTD.tweets.part0 =`` so the rest is plain JSON.

    Reads byte by byte only through the short prefix; the JSON after it is
    left to the streaming parser.
    """
    seen = bytearray()
    while True:
        byte = handle.read(1)
        if not byte:
            raise ValueError("no '=' before the JSON of an X archive file")
        if byte == b"=":
            return handle
        if byte in b"[{":
            raise ValueError("JSON starts before the expected JS assignment")
        seen += byte
        if len(seen) > 512:
            raise ValueError("JS assignment prefix is too long")


def stream_items(handle: IO[bytes], prefix: str) -> Iterator[Any]:
    """JSON values at ``prefix`` one at a time (floats, not Decimals, so the
    raw payload stays JSON-serialisable). A prefix that occurs several times
    — Mastodon's repeated ``orderedItems`` — yields the values of each."""
    yield from ijson.items(handle, prefix, use_float=True)
