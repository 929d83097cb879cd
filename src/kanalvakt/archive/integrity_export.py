"""The integrity part of an archive export, and its offline check.

Layout of DIR (format 1; the exports issue builds on it):
  integrity.json          {"format": 1, "log_size": n}
  public-key.pem          the Ed25519 key that signed the tree heads
  tree-heads.jsonl        one signed tree head per line (canonical JSON, docs/decisions/0102)
  log.jsonl               {"index": i, "leaf_hash": hex} per log entry, by index
  records.jsonl           {"index", "kind", "id", "sha256", "meta", "content"} per record,
                          by index; "content" is a path below DIR or null (not exported
                          or lawfully disposed of: its log entry still checks)
  content/<kind>/<id>     the exact bytes the record's sha256 is taken over

``verify_export`` needs no database and no Django: only these files and the public key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kanalvakt.archive.merkle import canonical_json
from kanalvakt.archive.tree_head import SignedTreeHead, TreeHeadError, load_public_key
from kanalvakt.archive.verify_core import StoredRecord, VerificationReport, verify_log

FORMAT = 1
_CHUNK = 64 * 1024


class ExportError(ValueError):
    """The directory is not a readable integrity export."""


def _line(value) -> bytes:
    return canonical_json(value) + b"\n"


def write_export(directory, *, include_content: bool = True) -> int:
    """Write the log as stored now into ``directory``; return the number of entries."""
    from kanalvakt.archive.integrity import iter_log, live_record, public_key, stored_heads
    from kanalvakt.archive.tree_head import public_key_pem

    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    (root / "public-key.pem").write_bytes(public_key_pem(public_key()))
    with open(root / "tree-heads.jsonl", "wb") as heads:
        for head in stored_heads():
            heads.write(head.to_json() + b"\n")
    count = 0
    with open(root / "log.jsonl", "wb") as log, open(root / "records.jsonl", "wb") as records:
        for leaves, live in iter_log():
            for leaf in leaves:
                count += 1
                log.write(_line({"index": leaf.index, "leaf_hash": bytes(leaf.leaf_hash).hex()}))
                record = live_record(leaf, live, content=include_content)
                if record is None:
                    continue
                content_path = None
                if record.content is not None:
                    content_path = f"content/{record.kind}/{record.record_id}"
                    _write_content(root / content_path, record.content)
                records.write(
                    _line(
                        {
                            "content": content_path,
                            "id": str(record.record_id),
                            "index": record.index,
                            "kind": record.kind,
                            "meta": record.metadata,
                            "sha256": record.sha256_hex,
                        }
                    )
                )
    (root / "integrity.json").write_bytes(_line({"format": FORMAT, "log_size": count}))
    return count


def _write_content(path: Path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        if isinstance(content, (bytes, bytearray)):
            out.write(content)
        else:
            for chunk in content():
                out.write(chunk)


def _jsonl(path: Path) -> Iterator[dict]:
    if not path.exists():
        raise ExportError(f"{path.name} is missing from the export")
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as error:
                    raise ExportError(f"{path.name} line {number}: {error}") from None


def _file_reader(path: Path):
    def chunks():
        with open(path, "rb") as handle:
            while block := handle.read(_CHUNK):
                yield block

    return chunks


def verify_export(directory, *, max_problems: int = 100) -> VerificationReport:
    root = Path(directory).resolve()
    manifest = next(_jsonl(root / "integrity.json"), None)
    if not manifest or manifest.get("format") != FORMAT:
        raise ExportError(f"{root} is not an integrity export of format {FORMAT}")
    try:
        key = load_public_key((root / "public-key.pem").read_bytes())
        heads = [SignedTreeHead.from_dict(fields) for fields in _jsonl(root / "tree-heads.jsonl")]
    except (OSError, TreeHeadError) as error:
        raise ExportError(f"public key or tree heads unreadable: {error}") from None

    def records():
        for row in _jsonl(root / "records.jsonl"):
            content = None
            if row.get("content"):
                path = (root / row["content"]).resolve()
                if not path.is_relative_to(root):  # a crafted export must not read elsewhere
                    raise ExportError(f"content path {row['content']!r} leaves the export")
                content = _file_reader(path)
            yield StoredRecord(
                row["index"], row["kind"], row["id"], row["sha256"], row["meta"], content
            )

    def leaves():
        for row in _jsonl(root / "log.jsonl"):
            yield row["index"], bytes.fromhex(row["leaf_hash"])

    return verify_log(records(), leaves(), heads, key, max_problems=max_problems)
