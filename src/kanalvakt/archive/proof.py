"""Inclusion proofs of one archived item, as a self-contained JSON document.

The document (format ``kanalvakt-inclusion-proof-v1``) holds the newest signed tree head
and, per logged record of the item (each version, each fetched media file), what the
record is (kind, id, sha256, metadata and, for versions, the exact canonical bytes the
sha256 is taken over), where it sits in the log (index, leaf hash) and the RFC 9162
inclusion path to the head's root:

    {"format": "kanalvakt-inclusion-proof-v1", "item": 12,
     "tree_head": {"key_id": …, "root_hash": …, "signature": …, "size": …, "timestamp": …},
     "records": [{"kind": "item_version", "id": "5", "sha256": hex, "meta": {…},
                  "content": "<canonical text>" | null, "index": 3, "leaf_hash": hex,
                  "path": [hex, …]}],
     "pending": [{"kind": …, "id": …}]}     # logged later than the head, or not yet

:func:`check_proof` verifies it with nothing but the public key: content → sha256 →
leaf hash → path → root → Ed25519 signature. The staff record page builds the document
from the live rows and checks it on the server; ``kanalvakt archive verify-proof FILE``
checks a downloaded copy offline with the same function.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass, field
from hashlib import sha256

from kanalvakt.archive.merkle import LeafDataError, record_leaf_hash, verify_inclusion
from kanalvakt.archive.tree_head import SignedTreeHead, TreeHeadError, verify_tree_head

FORMAT = "kanalvakt-inclusion-proof-v1"
MALFORMED, CONTENT, LEAF, NO_HEAD, PATH = "malformed", "content", "leaf", "no_head", "path"
PROBLEM_CODES = (MALFORMED, CONTENT, LEAF, NO_HEAD, PATH)


@dataclass
class RecordCheck:
    kind: str
    record_id: str
    index: int | None
    ok: bool
    problem: str = ""  # English, for the CLI
    code: str = ""  # one of PROBLEM_CODES, for the page's own (Swedish) wording


@dataclass
class ProofCheck:
    head_ok: bool = False
    head_problem: str = ""
    records: list[RecordCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.head_ok and bool(self.records) and all(r.ok for r in self.records)

    @property
    def problems(self) -> list[str]:
        found = [self.head_problem] if self.head_problem else []
        found += [f"{r.kind} {r.record_id}: {r.problem}" for r in self.records if not r.ok]
        if not self.records and not found:
            found.append("the proof covers no record")
        return found


def _hex(value, size: int) -> bytes:
    raw = bytes.fromhex(value) if isinstance(value, str) else b""
    if len(raw) != size:
        raise ValueError(f"expected {size} bytes of hex")
    return raw


def _check_record(record: dict, head: SignedTreeHead | None) -> RecordCheck:
    if not isinstance(record, dict):
        return RecordCheck("?", "?", None, False, "the record is not a JSON object", MALFORMED)
    kind, record_id = str(record.get("kind", "?")), str(record.get("id", "?"))
    index = record.get("index")
    check = RecordCheck(kind, record_id, index if isinstance(index, int) else None, False)
    content = record.get("content")
    if content is not None:
        if not isinstance(content, str):
            check.problem, check.code = "content is not text", MALFORMED
            return check
        if sha256(content.encode("utf-8")).hexdigest() != str(record.get("sha256", "")).lower():
            check.problem, check.code = "the content does not match its sha256", CONTENT
            return check
    try:
        leaf = record_leaf_hash(kind, record_id, record.get("sha256"), record.get("meta"))
        stored_leaf = _hex(record.get("leaf_hash"), 32)
        path = [_hex(node, 32) for node in record.get("path") or []]
    except (LeafDataError, ValueError, TypeError, binascii.Error) as error:
        check.problem, check.code = f"malformed record: {error}", MALFORMED
        return check
    if leaf != stored_leaf:
        check.problem, check.code = "the record does not match its log entry (leaf hash)", LEAF
        return check
    if head is None:
        check.problem, check.code = "no valid signed tree head", NO_HEAD
        return check
    if isinstance(index, bool) or not isinstance(index, int):
        check.problem, check.code = "the log index is not an integer", MALFORMED
        return check
    if not verify_inclusion(index, head.size, leaf, path, head.root_hash):
        check.problem, check.code = "the inclusion path does not lead to the signed root", PATH
        return check
    check.ok = True
    return check


def check_proof(document, public_key) -> ProofCheck:
    """Verify a proof document against an Ed25519 public key; never raises on bad input."""
    result = ProofCheck()
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        result.head_problem = f"not a proof document (format {FORMAT!r} expected)"
        return result
    head = None
    try:
        head = SignedTreeHead.from_dict(document.get("tree_head"))
    except TreeHeadError as error:
        result.head_problem = f"malformed signed tree head: {error}"
    if head is not None:
        result.head_ok = verify_tree_head(head, public_key)
        if not result.head_ok:
            result.head_problem = "the tree head's signature does not verify with this key"
    records = document.get("records")
    if not isinstance(records, list):
        result.head_problem = result.head_problem or "records is not a list"
        return result
    result.records = [_check_record(record, head if result.head_ok else None) for record in records]
    return result


# --- building a document from the database ----------------------------------------------


def item_proof(item) -> dict:
    """The proof document of ``item`` as stored now (records read from the live rows)."""
    from kanalvakt.archive.integrity import (
        ITEM_VERSION,
        MEDIA,
        media_metadata,
        proof_tree,
        version_content,
        version_metadata,
    )
    from kanalvakt.archive.integrity_models import LogLeaf, SignedTreeHeadRow

    versions = list(item.versions.select_related("item").order_by("number"))
    media = list(item.media.exclude(sha256="").order_by("pk"))
    wanted = [(ITEM_VERSION, v) for v in versions] + [(MEDIA, m) for m in media]
    leaves = {
        (leaf.kind, leaf.record_pk): leaf
        for leaf in LogLeaf.objects.filter(
            kind__in=[ITEM_VERSION, MEDIA], record_pk__in=[obj.pk for _kind, obj in wanted]
        )
    }
    latest = SignedTreeHeadRow.objects.order_by("-size", "-timestamp_ms").first()
    document = {"format": FORMAT, "item": item.pk, "tree_head": None, "records": [], "pending": []}
    tree = None
    if latest is not None:
        document["tree_head"] = SignedTreeHead.from_json(latest.document).to_dict()
        tree = proof_tree()
    for kind, obj in wanted:
        leaf = leaves.get((kind, obj.pk))
        if leaf is None or tree is None or leaf.index >= latest.size:
            document["pending"].append({"id": str(obj.pk), "kind": kind})
            continue
        if kind == ITEM_VERSION:
            meta, content = version_metadata(obj), version_content(obj).decode("ascii")
        else:
            meta, content = media_metadata(obj), None
        document["records"].append(
            {
                "content": content,
                "id": str(obj.pk),
                "index": leaf.index,
                "kind": kind,
                "leaf_hash": bytes(leaf.leaf_hash).hex(),
                "meta": meta,
                "path": [h.hex() for h in tree.inclusion_proof(leaf.index, latest.size)],
                "sha256": obj.sha256,
            }
        )
    return document
