"""Re-check archived records against the integrity log and its signed tree heads.

Pure Python, no Django: ``kanalvakt archive verify`` feeds it rows from the database,
``kanalvakt archive verify-export DIR`` feeds it an export's files; both get the same
findings. One pass over both streams, O(n) time and O(log n) memory (the frontier plus
at most ``max_problems`` findings).

Layered checks, each naming what it can:
  1. content: the stored text/file re-hashed vs the SHA-256 the record carries;
  2. record vs log: the leaf hash recomputed from the record vs the stored log entry;
  3. log vs signed heads: the root of the stored entries vs each signed tree head, and
     each head's Ed25519 signature.
Editing a text or media file fails 1; editing a record's metadata/hash or a log entry
fails 2; rewriting record and log entry together fails 3, which then narrows the change
to the entries between the last matching head and the first failing one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from typing import NamedTuple

from kanalvakt.archive.merkle import (
    EMPTY_ROOT,
    FrontierBuilder,
    LeafDataError,
    hash_leaf,
    leaf_data,
)
from kanalvakt.archive.tree_head import SignedTreeHead, key_id_of, verify_tree_head

Content = bytes | Callable[[], Iterable[bytes]] | None


class StoredRecord(NamedTuple):
    """One logged record as stored now. A plain 5- or 6-tuple in this order also works."""

    index: int  # its position in the log
    kind: str
    record_id: str | int
    sha256_hex: str  # the content hash the record carries
    metadata: dict
    # The content as stored now: bytes, or a callable giving chunks (for files). None
    # skips the content check (e.g. content lawfully disposed of; its log entry stays).
    content: Content = None


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    index: int | None = None
    kind: str | None = None
    record_id: str | None = None
    expected: str | None = None
    actual: str | None = None


# Problem codes, so callers and tests need not parse messages.
CONTENT_MISMATCH = "content_mismatch"
CONTENT_UNREADABLE = "content_unreadable"
INVALID_RECORD = "invalid_record"
LEAF_MISMATCH = "leaf_mismatch"
LOG_ENTRY_MISSING = "log_entry_missing"
RECORD_MISSING = "record_missing"
OUT_OF_ORDER = "out_of_order"
HEAD_BEYOND_LOG = "head_beyond_log"
ROOT_MISMATCH = "root_mismatch"
SIGNATURE_INVALID = "signature_invalid"


@dataclass
class VerificationReport:
    log_size: int = 0
    records_checked: int = 0
    contents_checked: int = 0
    heads_checked: int = 0
    signed_size: int = 0  # entries covered by a verified head; the rest await the next head
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0  # including those past max_problems

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def hash_content(content: bytes | Callable[[], Iterable[bytes]]) -> str:
    if isinstance(content, (bytes, bytearray, memoryview)):
        return sha256(content).hexdigest()
    digest = sha256()
    for chunk in content():
        digest.update(chunk)
    return digest.hexdigest()


def verify_log(
    records: Iterable[StoredRecord | Sequence],
    stored_leaves: Iterable[tuple[int, bytes]],
    tree_heads: Iterable[SignedTreeHead] = (),
    public_key=None,
    *,
    max_problems: int = 100,
) -> VerificationReport:
    """Check every record, log entry and tree head; report what does not match.

    ``records`` and ``stored_leaves`` (``(index, leaf_hash)`` pairs) must each be
    ordered by index; ``public_key`` (Ed25519) is required when heads are given.
    """
    report = VerificationReport()

    def problem(code: str, message: str, **where) -> None:
        report.problem_count += 1
        if len(report.problems) < max_problems:
            report.problems.append(Problem(code, message, **where))

    heads = sorted(tree_heads, key=lambda head: head.size)
    if heads and public_key is None:
        raise ValueError("a public key is needed to check signed tree heads")
    for head in heads:
        _check_signature(head, public_key, problem)

    frontier = FrontierBuilder()
    head_position = 0
    last_matching_size = 0
    while head_position < len(heads) and heads[head_position].size == 0:
        last_matching_size = _check_root(
            heads[head_position], EMPTY_ROOT, last_matching_size, report, problem
        )
        head_position += 1

    for index, record, stored_hash in _join_by_index(records, stored_leaves, problem):
        computed_hash = None
        if record is not None:
            report.records_checked += 1
            computed_hash = _check_record(index, record, stored_hash, report, problem)
        else:
            problem(
                RECORD_MISSING,
                f"log entry {index} has no archived record: it was deleted or renumbered",
                index=index,
            )
        if stored_hash is None:
            problem(
                LOG_ENTRY_MISSING,
                f"{_name(record)} (log index {index}) is missing from the log",
                **_where(index, record),
            )
        # The root is over the log as stored; a missing entry is replaced by the
        # record's hash so one deleted row does not hide everything after it.
        frontier.append(stored_hash or computed_hash or bytes(32))
        while head_position < len(heads) and heads[head_position].size == frontier.size:
            last_matching_size = _check_root(
                heads[head_position], frontier.root(), last_matching_size, report, problem
            )
            head_position += 1
    report.log_size = frontier.size

    for head in heads[head_position:]:
        report.heads_checked += 1
        problem(
            HEAD_BEYOND_LOG,
            f"tree head of {_when(head)} covers {head.size} entries but the log has only "
            f"{frontier.size}: entries from index {frontier.size} on were removed",
            index=frontier.size,
            expected=str(head.size),
            actual=str(frontier.size),
        )
    return report


def _join_by_index(records, stored_leaves, problem) -> Iterator[tuple[int, object, object]]:
    """Merge two index-ordered streams into (index, record or None, hash or None)."""
    record_iter = iter(records)
    leaf_iter = iter(stored_leaves)
    record = next(record_iter, None)
    leaf = next(leaf_iter, None)
    expected = 0
    while record is not None or leaf is not None:
        # Anything behind the cursor is a duplicate or out of order: report and skip.
        if record is not None and record[0] < expected:
            problem(
                OUT_OF_ORDER,
                f"{_name(record)} claims log index {record[0]}, already passed",
                **_where(record[0], record),
            )
            record = next(record_iter, None)
            continue
        if leaf is not None and leaf[0] < expected:
            problem(
                OUT_OF_ORDER, f"log entry {leaf[0]} appears twice or out of order", index=leaf[0]
            )
            leaf = next(leaf_iter, None)
            continue
        record_here = record if record is not None and record[0] == expected else None
        leaf_here = leaf[1] if leaf is not None and leaf[0] == expected else None
        if record_here is None and leaf_here is None:
            # A gap in both streams: jump to the next index either one has.
            expected = min(x[0] for x in (record, leaf) if x is not None)
            continue
        yield expected, record_here, leaf_here
        if record_here is not None:
            record = next(record_iter, None)
        if leaf_here is not None:
            leaf = next(leaf_iter, None)
        expected += 1


def _check_record(index, record, stored_hash, report, problem) -> bytes | None:
    _, kind, record_id, sha256_hex, metadata, *rest = record
    content = rest[0] if rest else None
    name = f"{kind} {record_id} (log index {index})"
    if content is not None:
        report.contents_checked += 1
        try:
            actual = hash_content(content)
        except OSError as error:
            actual = None
            problem(
                CONTENT_UNREADABLE,
                f"{name}: content cannot be read: {error}",
                **_where(index, record),
            )
        if actual is not None and actual != str(sha256_hex).lower():
            problem(
                CONTENT_MISMATCH,
                f"{name}: stored content hashes to {actual}, the record says "
                f"{sha256_hex}: the text or file was changed",
                expected=str(sha256_hex),
                actual=actual,
                **_where(index, record),
            )
    try:
        computed = hash_leaf(leaf_data(kind, record_id, sha256_hex, metadata))
    except LeafDataError as error:
        problem(INVALID_RECORD, f"{name}: {error}", **_where(index, record))
        return None
    if stored_hash is not None and computed != stored_hash:
        problem(
            LEAF_MISMATCH,
            f"{name}: the record's hash or metadata no longer match its log entry "
            f"(leaf {computed.hex()}, log has {stored_hash.hex()})",
            expected=stored_hash.hex(),
            actual=computed.hex(),
            **_where(index, record),
        )
    return computed


def _check_signature(head: SignedTreeHead, public_key, problem) -> None:
    if head.key_id != key_id_of(public_key):
        problem(
            SIGNATURE_INVALID,
            f"tree head of {_when(head)} (size {head.size}) names signing key "
            f"{head.key_id.hex()}, not the given key {key_id_of(public_key).hex()}",
            expected=key_id_of(public_key).hex(),
            actual=head.key_id.hex(),
        )
    elif not verify_tree_head(head, public_key):
        problem(
            SIGNATURE_INVALID,
            f"tree head of {_when(head)} (size {head.size}): the signature does not verify",
        )


def _check_root(head, root, last_matching_size, report, problem) -> int:
    """Compare one head with the log's root at its size; return the last matching size."""
    report.heads_checked += 1
    if root == head.root_hash:
        report.signed_size = max(report.signed_size, head.size)
        return head.size
    problem(
        ROOT_MISMATCH,
        f"the first {head.size} log entries do not match the tree head of {_when(head)}: "
        f"an entry with index {last_matching_size}..{head.size - 1} was rewritten "
        "together with its record",
        index=last_matching_size,
        expected=head.root_hash.hex(),
        actual=root.hex(),
    )
    return last_matching_size


def _name(record) -> str:
    return f"{record[1]} {record[2]}"


def _where(index, record) -> dict:
    return {"index": index, "kind": str(record[1]), "record_id": str(record[2])}


def _when(head: SignedTreeHead) -> str:
    return head.timestamp_datetime.strftime("%Y-%m-%d %H:%M:%S UTC")
