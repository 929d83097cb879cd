"""Re-hash the whole chain and name the first event that does not fit."""

from dataclasses import dataclass

from kanalvakt.audit.chain import GENESIS_HASH, hash_of_row
from kanalvakt.audit.models import AuditEvent


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    row_id: int
    reason: str

    def __str__(self):
        return f"audit event #{self.seq} (row id {self.row_id}): {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order. An event whose own hash fails was altered; an event whose
    hash holds but whose predecessor's hash does not match its link means the predecessor
    was altered and re-hashed, so the predecessor is named."""
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    previous = None
    rows = AuditEvent.objects.order_by("seq", "id").iterator(chunk_size=batch_size)
    for row in rows:
        if row.seq != expected_seq:
            what = "missing" if row.seq > expected_seq else "duplicated or reordered"
            reason = f"expected sequence number {expected_seq}; event(s) {what} before it"
            return ChainReport(checked, ChainProblem(row.seq, row.id, reason))
        if hash_of_row(row) != row.hash:
            reason = "its content does not match its hash (event altered)"
            return ChainReport(checked, ChainProblem(row.seq, row.id, reason))
        if row.prev_hash != expected_prev:
            reason = f"altered and re-hashed: event #{row.seq} links to a different hash"
            bad = previous or row
            return ChainReport(checked, ChainProblem(bad.seq, bad.id, reason))
        expected_prev, expected_seq, checked = row.hash, row.seq + 1, checked + 1
        previous = row
    return ChainReport(checked, None)
