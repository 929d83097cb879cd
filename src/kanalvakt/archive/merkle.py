"""Append-only Merkle log in the RFC 6962 / RFC 9162 (Certificate Transparency) form.

Pure Python, no Django: the archive app wraps it in models. The archive stores, per
leaf index, the 32-byte leaf hash (and the record it came from); this module needs
only a ``get_leaf_hashes(start, end)`` callable to serve roots and proofs.

Hashing (RFC 6962 section 2.1, SHA-256):
  leaf hash  = SHA-256(0x00 || leaf data)
  node hash  = SHA-256(0x01 || left || right)
  empty tree = SHA-256("")
The 0x00/0x01 prefixes keep a leaf from ever being passed off as an inner node.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from hashlib import sha256
from typing import Any

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()
LEAF_FORMAT_VERSION = 1

GetLeafHashes = Callable[[int, int], Sequence[bytes]]
"""Returns the stored leaf hashes with indexes ``start <= i < end``, in order."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_KIND = re.compile(r"[a-z][a-z0-9_]{0,63}")
# Integers beyond 2**53 lose precision in JavaScript/JSON tools; an offline verifier
# written in another language must be able to rebuild the exact bytes.
_MAX_SAFE_INT = 2**53 - 1
# Read at most 2**16 leaf hashes (2 MiB) at once when a proof needs an uncached subtree.
_MAX_FETCH_LEVEL = 16


def hash_leaf(data: bytes) -> bytes:
    return sha256(_LEAF_PREFIX + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    return sha256(_NODE_PREFIX + left + right).digest()


# --- canonical leaf data ---------------------------------------------------------------


class LeafDataError(ValueError):
    """The record cannot be put into canonical leaf form."""


def _check_canonical_value(value: Any, where: str) -> None:
    problem = _canonical_problem(value)
    if problem is not None:
        path, message = problem
        raise LeafDataError(f"{where}{path}: {message}")


def _canonical_problem(value: Any) -> tuple[str, str] | None:
    """(path below ``value``, message) of the first value without one canonical JSON
    spelling, or None. Only types with one unambiguous spelling pass: no floats (many
    spellings of the same number across languages), no tuples/sets/bytes/dates (the
    caller decides their string form explicitly). The path is built only on failure:
    this runs for every record verified."""
    if value is None or isinstance(value, (bool, str)):
        return None
    if isinstance(value, int):
        if abs(value) > _MAX_SAFE_INT:
            return "", f"integer {value} is outside ±(2**53-1)"
        return None
    if isinstance(value, list):
        for position, element in enumerate(value):
            if (problem := _canonical_problem(element)) is not None:
                return f"[{position}]{problem[0]}", problem[1]
        return None
    if isinstance(value, dict):
        for key, element in value.items():
            if not isinstance(key, str):
                return "", f"key {key!r} is not a string"
            kind = type(element)
            if kind is str or element is None or (kind is int and abs(element) <= _MAX_SAFE_INT):
                continue  # the common leaves, without a call each
            if (problem := _canonical_problem(element)) is not None:
                return f".{key}{problem[0]}", problem[1]
        return None
    return "", f"{type(value).__name__} has no canonical JSON form"


# One encoder for every record: json.dumps with options builds a new one per call.
_CANONICAL = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    """Canonical JSON bytes: UTF-8, keys sorted by code point, no insignificant space.

    Strings are written as Python's ``json`` writes them with ``ensure_ascii=False``:
    only ``"``, ``\\`` and control characters below U+0020 are escaped
    (``\\n \\r \\t \\b \\f``, others as lower-case ``\\u00XX``). No Unicode
    normalisation is applied: different code points are different records.
    """
    _check_canonical_value(value, "$")
    try:
        return _CANONICAL.encode(value).encode("utf-8")
    except UnicodeEncodeError as error:  # lone surrogates have no UTF-8 form
        raise LeafDataError(f"text is not valid Unicode: {error}") from error


def leaf_data(kind: str, record_id: str | int, sha256_hex: str, metadata: dict) -> bytes:
    """The exact bytes logged for one archived record (hashed with :func:`hash_leaf`).

    Format v1 is the canonical JSON (:func:`canonical_json`) of the object
    ``{"id": str(record_id), "kind": kind, "meta": metadata, "sha256": sha256_hex, "v": 1}``
    e.g. ``{"id":"42","kind":"item_version","meta":{},"sha256":"e3b0…","v":1}``.

    ``kind`` is a lower-case identifier (``item_version``, ``media``, ``screenshot``);
    ``record_id`` is written as a string so integer and string keys cannot disagree;
    ``sha256_hex`` is the record content's SHA-256, accepted in either case and written
    in lower case; ``metadata`` is a dict of JSON values without floats.
    """
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise LeafDataError(f"kind {kind!r} must match {_KIND.pattern}")
    if isinstance(record_id, bool) or not isinstance(record_id, (str, int)):
        raise LeafDataError(f"record id {record_id!r} must be a string or an integer")
    record_id_text = str(record_id)
    if not record_id_text:
        raise LeafDataError("record id is empty")
    digest = sha256_hex.lower() if isinstance(sha256_hex, str) else sha256_hex
    if not isinstance(digest, str) or not _SHA256_HEX.fullmatch(digest):
        raise LeafDataError(f"sha256 {sha256_hex!r} is not 64 hex digits")
    if not isinstance(metadata, dict):
        raise LeafDataError("metadata must be a dict")
    return canonical_json(
        {
            "id": record_id_text,
            "kind": kind,
            "meta": metadata,
            "sha256": digest,
            "v": LEAF_FORMAT_VERSION,
        }
    )


def record_leaf_hash(kind: str, record_id: str | int, sha256_hex: str, metadata: dict) -> bytes:
    return hash_leaf(leaf_data(kind, record_id, sha256_hex, metadata))


# --- tree shape helpers ----------------------------------------------------------------


def _largest_power_of_two_below(n: int) -> int:
    """The k of RFC 6962: the largest power of two with k < n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_frontier(frontier: Sequence[bytes]) -> bytes:
    """Root of a tree from its perfect subtrees, largest (leftmost) first."""
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for left in reversed(frontier[:-1]):
        root = hash_children(left, root)
    return root


def root_of_leaf_hashes(leaf_hashes: Iterable[bytes]) -> bytes:
    """Root of a whole sequence of leaf hashes, in O(log n) memory."""
    builder = FrontierBuilder()
    builder.extend(leaf_hashes)
    return builder.root()


class FrontierBuilder:
    """The compact range [0, size): one hash per set bit of ``size``.

    Appending costs one leaf plus, amortised, one node hash; memory is O(log n).
    ``frontier[0]`` covers the oldest (largest) perfect subtree.
    """

    __slots__ = ("frontier", "size")

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()) -> None:
        if size < 0 or len(frontier) != size.bit_count():
            raise ValueError(f"a frontier for size {size} has {size.bit_count()} hashes")
        self.size = size
        self.frontier = list(frontier)

    def append(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf; return the perfect subtrees completed, as (level, index, hash)."""
        frontier = self.frontier
        size = self.size
        completed = []
        level = 0
        node = leaf_hash
        # Each trailing 1 bit of the old size is a left sibling waiting for a partner.
        while size & 1:
            node = sha256(_NODE_PREFIX + frontier.pop() + node).digest()
            size >>= 1
            level += 1
            completed.append((level, size, node))
        frontier.append(node)
        self.size += 1
        return completed

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        # The hot loop of verification: the same merge as append() without bookkeeping.
        frontier = self.frontier
        append = frontier.append
        pop = frontier.pop
        size = self.size
        for node in leaf_hashes:
            bits = size
            while bits & 1:
                node = sha256(_NODE_PREFIX + pop() + node).digest()
                bits >>= 1
            append(node)
            size += 1
        self.size = size

    def root(self) -> bytes:
        return root_from_frontier(self.frontier)


# --- the tree --------------------------------------------------------------------------


class MerkleTree:
    """An append-only RFC 6962 tree over stored leaf hashes.

    State is the compact frontier (``size`` + ``frontier``), enough to append and to
    give the current root without reading old leaves. Roots at older sizes and proofs
    read leaf hashes through ``get_leaf_hashes``. Persisting each appended leaf hash at
    its index is the caller's job (see :class:`InMemoryLeafStore`).

    ``node_cache`` maps (level, index) to the hash of the perfect subtree covering
    leaves ``[index * 2**level, (index + 1) * 2**level)``. Such a subtree never changes
    in an append-only log, so it can be cached forever; nodes at ``cache_min_level`` and
    above are cached (``2**-cache_min_level`` entries per leaf, ~3 % at the default 5),
    so a proof reads at most about ``2**cache_min_level`` leaves per level.
    """

    def __init__(
        self,
        get_leaf_hashes: GetLeafHashes | None = None,
        *,
        size: int = 0,
        frontier: Sequence[bytes] = (),
        node_cache: MutableMapping[tuple[int, int], bytes] | None = None,
        cache_min_level: int = 5,
    ) -> None:
        self._compact = FrontierBuilder(size, frontier)
        self._get_leaf_hashes = get_leaf_hashes
        self._node_cache = {} if node_cache is None else node_cache
        self._cache_min_level = cache_min_level

    # state -----------------------------------------------------------------------------

    @property
    def size(self) -> int:
        return self._compact.size

    @property
    def frontier(self) -> tuple[bytes, ...]:
        return tuple(self._compact.frontier)

    def frontier_bytes(self) -> bytes:
        """The frontier as one blob (popcount(size) * 32 bytes) for the log head row."""
        return b"".join(self._compact.frontier)

    @classmethod
    def resume(
        cls,
        size: int,
        frontier_blob: bytes,
        get_leaf_hashes: GetLeafHashes | None = None,
        **options: Any,
    ) -> MerkleTree:
        if len(frontier_blob) != size.bit_count() * HASH_SIZE:
            raise ValueError("frontier blob does not match the tree size")
        frontier = [frontier_blob[i : i + HASH_SIZE] for i in range(0, len(frontier_blob), 32)]
        return cls(get_leaf_hashes, size=size, frontier=frontier, **options)

    # appending ------------------------------------------------------------------------

    def append(self, leaf_hash: bytes) -> int:
        """Add one leaf hash; return its index."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError("a leaf hash is 32 bytes")
        index = self._compact.size
        for level, node_index, node in self._compact.append(leaf_hash):
            if level >= self._cache_min_level:
                self._node_cache[(level, node_index)] = node
        return index

    def extend(self, leaf_hashes: Iterable[bytes]) -> range:
        """Add leaf hashes in order; return the range of their indexes."""
        first = self._compact.size
        for leaf_hash in leaf_hashes:
            self.append(leaf_hash)
        return range(first, self._compact.size)

    def root(self, size: int | None = None) -> bytes:
        """Root of the first ``size`` leaves (default: all)."""
        if size is None or size == self.size:
            return self._compact.root()
        self._check_size(size)
        return self._range_hash(0, size) if size else EMPTY_ROOT

    # proofs ---------------------------------------------------------------------------

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 section 2.1.3.1 PATH(index, D[0:size]), nearest sibling first."""
        size = self.size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in a tree of size {size}")
        top_down = []
        start, end = 0, size
        while end - start > 1:
            split = start + _largest_power_of_two_below(end - start)
            if index < split:
                top_down.append(self._range_hash(split, end))
                end = split
            else:
                top_down.append(self._range_hash(start, split))
                start = split
        top_down.reverse()
        return top_down

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """RFC 9162 section 2.1.4.1 PROOF(old_size, D[0:new_size]), deepest node first."""
        new_size = self.size if new_size is None else new_size
        self._check_size(new_size)
        if not 0 <= old_size <= new_size:
            raise ValueError(f"cannot prove size {old_size} against size {new_size}")
        if old_size in (0, new_size):
            return []
        top_down = []
        # SUBPROOF(m, D[start:end], b); `whole_old_tree` is b: whether D[start:end]'s
        # first m leaves are the whole old tree, whose root the verifier already has.
        start, end, m, whole_old_tree = 0, new_size, old_size, True
        while m != end - start:
            k = _largest_power_of_two_below(end - start)
            if m <= k:
                top_down.append(self._range_hash(start + k, end))
                end = start + k
            else:
                top_down.append(self._range_hash(start, start + k))
                start, m, whole_old_tree = start + k, m - k, False
        if not whole_old_tree:
            top_down.append(self._range_hash(start, end))
        top_down.reverse()
        return top_down

    # subtree hashes ---------------------------------------------------------------------

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ValueError(f"size {size} is beyond the log's size {self.size}")

    def _range_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range produced by RFC 6962's splitting."""
        # Split into aligned perfect subtrees (largest first), then fold from the right.
        perfect = []
        while start < end:
            level = (end - start).bit_length() - 1
            if start:  # an aligned subtree cannot be larger than start's alignment
                level = min(level, (start & -start).bit_length() - 1)
            perfect.append(self._perfect_hash(level, start >> level))
            start += 1 << level
        return root_from_frontier(perfect)

    def _perfect_hash(self, level: int, index: int) -> bytes:
        key = (level, index)
        cached = self._node_cache.get(key)
        if cached is not None:
            return cached
        cache_min_level = self._cache_min_level
        if level > _MAX_FETCH_LEVEL or (
            level > cache_min_level and (level - 1, 2 * index) in self._node_cache
        ):
            # Reuse what is cached below instead of re-reading all the leaves.
            node = hash_children(
                self._perfect_hash(level - 1, 2 * index),
                self._perfect_hash(level - 1, 2 * index + 1),
            )
        else:
            node = self._hash_from_leaves(level, index)
        if level >= cache_min_level:
            self._node_cache[key] = node
        return node

    def _hash_from_leaves(self, level: int, index: int) -> bytes:
        """Hash a perfect subtree bottom-up from one read, caching its inner nodes."""
        if self._get_leaf_hashes is None:
            raise LookupError("this tree has no leaf store: only its current root is known")
        start = index << level
        nodes = self._get_leaf_hashes(start, start + (1 << level))
        if len(nodes) != 1 << level:
            raise LookupError(f"leaf store returned {len(nodes)} hashes from index {start}")
        for node_level in range(1, level + 1):
            nodes = [
                sha256(_NODE_PREFIX + nodes[i] + nodes[i + 1]).digest()
                for i in range(0, len(nodes), 2)
            ]
            if node_level >= self._cache_min_level and node_level < level:
                first = index << (level - node_level)
                for offset, node in enumerate(nodes):
                    self._node_cache[(node_level, first + offset)] = node
        return nodes[0]


class InMemoryLeafStore:
    """Leaf hashes in a list: the reference storage, for tests and offline exports."""

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self.leaf_hashes = list(leaf_hashes)

    def append(self, leaf_hash: bytes) -> int:
        self.leaf_hashes.append(leaf_hash)
        return len(self.leaf_hashes) - 1

    def get_leaf_hashes(self, start: int, end: int) -> Sequence[bytes]:
        return self.leaf_hashes[start:end]

    def tree(self, **options: Any) -> MerkleTree:
        """A tree over everything stored so far that reads proofs from this store."""
        tree = MerkleTree(self.get_leaf_hashes, **options)
        tree.extend(self.leaf_hashes)
        return tree


# --- verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) -----------------------------


def root_from_inclusion_proof(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]
) -> bytes | None:
    """The root that ``proof`` leads to from ``leaf_hash``, or None if it is malformed."""
    if not 0 <= index < size or len(leaf_hash) != HASH_SIZE:
        return None
    fn, sn, node = index, size - 1, leaf_hash
    for sibling in proof:
        if sn == 0 or len(sibling) != HASH_SIZE:
            return None
        if fn & 1 or fn == sn:
            node = hash_children(sibling, node)
            # Skip the levels where this node has no right sibling (ragged right edge).
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            node = hash_children(node, sibling)
        fn >>= 1
        sn >>= 1
    return node if sn == 0 else None


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    computed = root_from_inclusion_proof(index, size, leaf_hash, proof)
    return computed is not None and computed == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether the tree (new_size, new_root) extends the tree (old_size, old_root)."""
    if not 0 <= old_size <= new_size:
        return False
    if len(old_root) != HASH_SIZE or len(new_root) != HASH_SIZE:
        return False
    if old_size == 0:
        # Every log extends the empty log; a non-empty proof is garbage.
        return not proof and old_root == EMPTY_ROOT
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof or any(len(node) != HASH_SIZE for node in proof):
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # the old tree is a perfect subtree of the new
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    old_node = new_node = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_node = hash_children(node, old_node)
            new_node = hash_children(node, new_node)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            new_node = hash_children(new_node, node)
        fn >>= 1
        sn >>= 1
    return sn == 0 and old_node == old_root and new_node == new_root
