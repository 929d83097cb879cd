"""The integrity export inside a package, and the package's own offline check.

``metadata/preservation/integrity/`` holds an integrity export of format 1
(archive/integrity_export.py) without content: the whole log, the signed tree heads and
public key, and every record's hash and metadata. The package's item versions are tied to
it through ``data/items/versions.jsonl``: each line's canonical bytes are re-hashed and
compared with the SHA-256 the signed log covers for that version. Every other file is
covered by the SHA-256 in METS. ``verify_package`` runs all three checks; ``kanalvakt
archive verify-export`` calls it when given a package folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from kanalvakt.archive.integrity_export import ExportError, verify_export
from kanalvakt.archive.verify_core import CONTENT_MISMATCH, Problem, VerificationReport
from kanalvakt.exports.mets import METS_NS, XLINK_NS

INTEGRITY_DIR = "metadata/preservation/integrity"
VERSIONS_FILE = "data/items/versions.jsonl"
CHECKSUM_MISMATCH = "checksum_mismatch"
FILE_MISSING = "file_missing"
UNLISTED_FILE = "unlisted_file"
VERSION_MISMATCH = "version_mismatch"


def write_integrity(directory: Path) -> int:
    """The archive's own export (``archive export-log --no-content``), so the records
    match whatever kinds the log holds (item versions, media, screenshots, tombstones)."""
    from kanalvakt.archive.integrity_export import write_export

    return write_export(directory, include_content=False)


def is_package(directory) -> bool:
    root = Path(directory)
    return (root / "METS.xml").is_file() and (root / INTEGRITY_DIR / "integrity.json").is_file()


def _sha256_file(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _listed_files(mets_path: Path):
    """(href, checksum, checksum type) of every file and mdRef in one METS, streamed."""
    for _, element in etree.iterparse(
        str(mets_path), events=("end",), tag=(f"{{{METS_NS}}}file", f"{{{METS_NS}}}mdRef")
    ):
        if element.tag.endswith("}file"):
            location = element.find(f"{{{METS_NS}}}FLocat")
            href = location.get(f"{{{XLINK_NS}}}href") if location is not None else None
        else:
            href = element.get(f"{{{XLINK_NS}}}href")
        yield href, element.get("CHECKSUM"), element.get("CHECKSUMTYPE")
        element.clear()


def check_checksums(root: Path, problem) -> tuple[int, set[Path]]:
    """Every file the root and representation METS list, re-hashed; returns (n, listed)."""
    checked, listed = 0, {root / "METS.xml"}
    queue = [root / "METS.xml"]
    while queue:
        mets_path = queue.pop()
        base = mets_path.parent
        for href, checksum, checksum_type in _listed_files(mets_path):
            path = (base / (href or "")).resolve()
            if not href or not path.is_relative_to(root):
                problem(CHECKSUM_MISMATCH, f"{mets_path.name} lists a file outside the package")
                continue
            listed.add(path)
            name = path.relative_to(root).as_posix()
            if checksum_type != "SHA-256":
                problem(CHECKSUM_MISMATCH, f"{name}: checksum type {checksum_type}, not SHA-256")
                continue
            if not path.is_file():
                problem(FILE_MISSING, f"{name} is listed in METS but missing")
                continue
            checked += 1
            actual = _sha256_file(path)
            if actual != (checksum or "").lower():
                problem(
                    CHECKSUM_MISMATCH,
                    f"{name}: SHA-256 is {actual}, METS says {checksum}: the file was changed",
                )
            if path.name == "METS.xml":
                queue.append(path)
    return checked, listed


def check_unlisted(root: Path, listed: set[Path], problem) -> None:
    for path in root.rglob("*"):
        if path.is_file() and path.resolve() not in listed:
            problem(UNLISTED_FILE, f"{path.relative_to(root).as_posix()} is not listed in METS")


def check_versions(root: Path, problem) -> int:
    """Each version line re-hashed, and its hash compared with the signed log's record."""
    from kanalvakt.archive.models import sha256_hex
    from kanalvakt.exports.sip_content import version_bytes

    logged = {}
    with open(root / INTEGRITY_DIR / "records.jsonl", encoding="utf-8") as records:
        for line in records:
            row = json.loads(line)
            if row["kind"] == "item_version":
                logged[row["id"]] = row["sha256"]
    checked = 0
    for path in sorted(root.glob(f"representations/*/{VERSIONS_FILE}")):
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                row = json.loads(line)
                checked += 1
                actual = sha256_hex(version_bytes(row))
                expected = logged.get(str(row["version_id"]))
                if actual != row["sha256"] or actual != expected:
                    problem(
                        VERSION_MISMATCH,
                        f"{path.relative_to(root).as_posix()} line {number} (item version "
                        f"{row['version_id']}): content hashes to {actual}, the signed log "
                        f"has {expected}",
                    )
    return checked


def verify_package(directory, *, max_problems: int = 100) -> VerificationReport:
    root = Path(directory).resolve()
    if not is_package(root):
        raise ExportError(f"{root} is not a Kanalvakt package (METS.xml and {INTEGRITY_DIR})")
    report = verify_export(root / INTEGRITY_DIR, max_problems=max_problems)

    def problem(code: str, message: str) -> None:
        report.problem_count += 1
        if len(report.problems) < max_problems:
            report.problems.append(Problem(code, message))

    try:
        checked, listed = check_checksums(root, problem)
        check_unlisted(root, listed, problem)
        report.contents_checked += checked + check_versions(root, problem)
    except (OSError, ValueError, etree.XMLSyntaxError) as error:
        problem(CONTENT_MISMATCH, f"the package cannot be read: {error}")
    return report
