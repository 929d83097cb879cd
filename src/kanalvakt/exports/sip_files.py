"""Writing a package's files: SHA-256 and size taken while writing, one manifest line each.

The manifest (a JSON Lines file outside the package) is what METS fileSec and the PREMIS
file objects are later written from, so no list of 100,000 files is ever held in memory.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class WrittenFile:
    path: str  # relative to the folder the manifest belongs to, with "/"
    group: str  # the METS fileGrp it belongs in (e.g. "items", "threads", "media")
    mimetype: str
    size: int
    sha256: str
    created: str  # ISO 8601 UTC

    @classmethod
    def from_line(cls, line: str) -> WrittenFile:
        return cls(**json.loads(line))


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class HashingFile:
    """A binary file being written, hashed on the way."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.size += len(data)
        return self._handle.write(data)

    def close(self) -> str:
        self._handle.close()
        return self._digest.hexdigest()


class TextHashingFile:
    """The same for text (csv.writer, JSON lines): encoded as UTF-8, "\\n" line ends."""

    def __init__(self, path: Path):
        self._binary = HashingFile(path)

    def write(self, text: str) -> int:
        return self._binary.write(text.encode("utf-8"))

    @property
    def size(self) -> int:
        return self._binary.size

    def close(self) -> str:
        return self._binary.close()


class FileSet:
    """The files of one folder (the package root or a representation) and their manifest."""

    def __init__(self, root: Path, manifest: Path):
        self.root = root
        self._manifest = open(manifest, "w", encoding="utf-8")  # noqa: SIM115
        self.manifest_path = manifest
        self.count = 0

    def _record(self, relative: str, group: str, mimetype: str, size: int, sha256: str) -> None:
        entry = WrittenFile(relative, group, mimetype, size, sha256, now_iso())
        self._manifest.write(json.dumps(entry.__dict__) + "\n")
        self.count += 1

    def open(self, relative: str, *, text: bool = False) -> HashingFile | TextHashingFile:
        path = self.root / relative
        return TextHashingFile(path) if text else HashingFile(path)

    def done(self, relative: str, handle, group: str, mimetype: str) -> None:
        """Close a file opened with ``open`` and add it to the manifest."""
        size = handle.size
        self._record(relative, group, mimetype, size, handle.close())

    def write_bytes(self, relative: str, data: bytes, group: str, mimetype: str) -> None:
        handle = self.open(relative)
        handle.write(data)
        self.done(relative, handle, group, mimetype)

    def copy_from(self, relative: str, source, group: str, mimetype: str) -> None:
        """Copy a readable binary file object in chunks."""
        handle = self.open(relative)
        while block := source.read(_CHUNK):
            handle.write(block)
        self.done(relative, handle, group, mimetype)

    def copy_file(self, relative: str, path: Path, group: str, mimetype: str) -> None:
        with open(path, "rb") as source:
            self.copy_from(relative, source, group, mimetype)

    def add_existing(self, relative: str, group: str, mimetype: str) -> None:
        """A file another writer made (the integrity export): hash it where it is."""
        digest, size = hashlib.sha256(), 0
        with open(self.root / relative, "rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
                size += len(block)
        self._record(relative, group, mimetype, size, digest.hexdigest())

    def close(self) -> None:
        self._manifest.close()

    def entries(self):
        """The manifest, read back line by line (call after ``close``)."""
        with open(self.manifest_path, encoding="utf-8") as lines:
            for line in lines:
                yield WrittenFile.from_line(line)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
