"""RFC 6962 Merkle log: published test vectors, a naive reference, and properties."""

import json
from hashlib import sha256
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kanalvakt.archive.merkle import (
    EMPTY_ROOT,
    FrontierBuilder,
    InMemoryLeafStore,
    LeafDataError,
    MerkleTree,
    hash_children,
    hash_leaf,
    leaf_data,
    record_leaf_hash,
    root_from_inclusion_proof,
    root_of_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

VECTORS = json.loads((Path(__file__).parent / "data" / "rfc6962_vectors.json").read_text())
LEAF_INPUTS = [bytes.fromhex(x) for x in VECTORS["leaf_inputs_hex"]]
ROOTS = [bytes.fromhex(x) for x in VECTORS["root_hashes_by_size"]]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")

pytestmark = pytest.mark.req("R7.2")


def tree_of(leaf_hashes, **options):
    return InMemoryLeafStore(leaf_hashes).tree(**options)


def vector_tree(**options):
    return tree_of([hash_leaf(data) for data in LEAF_INPUTS], **options)


# --- a naive reference, written straight from RFC 6962 section 2.1 --------------------


def reference_mth(leaves):
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return hash_children(reference_mth(leaves[:k]), reference_mth(leaves[k:]))


def reference_path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return [*reference_path(m, leaves[:k]), reference_mth(leaves[k:])]
    return [*reference_path(m - k, leaves[k:]), reference_mth(leaves[:k])]


def reference_subproof(m, leaves, whole):
    if m == len(leaves):
        return [] if whole else [reference_mth(leaves)]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m <= k:
        return [*reference_subproof(m, leaves[:k], whole), reference_mth(leaves[k:])]
    return [*reference_subproof(m - k, leaves[k:], False), reference_mth(leaves[:k])]


def reference_consistency(m, leaves):
    return [] if m in (0, len(leaves)) else reference_subproof(m, leaves, True)


# --- published vectors ------------------------------------------------------------------


def test_hasher_vectors():
    assert EMPTY_ROOT.hex() == VECTORS["root_hashes_by_size"][0]
    assert hash_leaf(b"").hex() == VECTORS["node_hashes_by_level"][0][0]
    assert hash_leaf(b"L123456").hex() == VECTORS["hasher"]["leaf_L123456"]
    assert hash_children(b"N123", b"N456").hex() == VECTORS["hasher"]["children_N123_N456"]


def test_hasher_separates_leaves_from_nodes():
    left, right = hash_leaf(b"Hello"), hash_leaf(b"World")
    assert left != right
    assert hash_children(left, right) != hash_leaf(left + right)
    assert hash_children(left, right) != hash_children(right, left)


def test_roots_at_every_size_match_vectors():
    store = InMemoryLeafStore()
    tree = MerkleTree(store.get_leaf_hashes)
    assert tree.root() == ROOTS[0]
    for size, data in enumerate(LEAF_INPUTS, start=1):
        tree.append(hash_leaf(data))
        store.append(hash_leaf(data))
        assert tree.root() == ROOTS[size], size
    for size, expected in enumerate(ROOTS):
        assert tree.root(size) == expected, size


def test_frontier_holds_the_perfect_subtrees():
    levels = [[bytes.fromhex(h) for h in level] for level in VECTORS["node_hashes_by_level"]]
    builder = FrontierBuilder()
    for data in LEAF_INPUTS[:7]:
        builder.append(hash_leaf(data))
    assert builder.frontier == [levels[2][0], levels[1][2], levels[0][6]]


@pytest.mark.parametrize("vector", VECTORS["inclusion_proofs"], ids=str)
def test_inclusion_vectors(vector):
    index, size = vector["leaf_index"], vector["tree_size"]
    proof = [bytes.fromhex(h) for h in vector["proof"]]
    tree = vector_tree()
    leaf_hash = hash_leaf(LEAF_INPUTS[index])
    assert tree.inclusion_proof(index, size) == proof
    assert verify_inclusion(index, size, leaf_hash, proof, ROOTS[size])
    for description, probe in corrupted_inclusion_probes(index, size, leaf_hash, proof):
        assert not verify_inclusion(*probe), description


@pytest.mark.parametrize("vector", VECTORS["consistency_proofs"], ids=str)
def test_consistency_vectors(vector):
    old, new = vector["size1"], vector["size2"]
    proof = [bytes.fromhex(h) for h in vector["proof"]]
    tree = vector_tree()
    assert tree.consistency_proof(old, new) == proof
    assert verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)
    if proof:
        for description, probe in corrupted_consistency_probes(old, new, proof):
            assert not verify_consistency(*probe), description


def corrupted_inclusion_probes(index, size, leaf_hash, proof):
    """The corruptions transparency-dev/merkle's verify_test.go applies."""
    root = ROOTS[size]
    probes = [
        ("index - 1", (index - 1, size, leaf_hash, proof, root)),
        ("index + 1", (index + 1, size, leaf_hash, proof, root)),
        ("index ^ 2", (index ^ 2, size, leaf_hash, proof, root)),
        ("size * 2", (index, size * 2, leaf_hash, proof, root)),
        ("size // 2", (index, size // 2, leaf_hash, proof, root)),
        ("wrong leaf", (index, size, b"WrongLeaf", proof, root)),
        ("empty root", (index, size, leaf_hash, proof, EMPTY_ROOT)),
        ("random root", (index, size, leaf_hash, proof, SOME_HASH)),
        ("trailing garbage", (index, size, leaf_hash, [*proof, b""], root)),
        ("trailing root", (index, size, leaf_hash, [*proof, root], root)),
        ("preceding garbage", (index, size, leaf_hash, [b"", *proof], root)),
        ("preceding root", (index, size, leaf_hash, [root, *proof], root)),
    ]
    for position in range(len(proof)):
        for bit in range(256):
            changed = list(proof)
            changed[position] = flip_bit(changed[position], bit)
            probes.append((f"proof[{position}] bit {bit}", (index, size, leaf_hash, changed, root)))
    if proof:
        probes.append(("removed component", (index, size, leaf_hash, proof[:-1], root)))
    if len(proof) > 1:
        inserted = [proof[0], SOME_HASH, *proof[1:]]
        probes.append(("inserted component", (index, size, leaf_hash, inserted, root)))
    return probes


def corrupted_consistency_probes(old, new, proof):
    old_root, new_root = ROOTS[old], ROOTS[new]
    probes = [
        ("old - 1", (old - 1, new, old_root, new_root, proof)),
        ("old + 1", (old + 1, new, old_root, new_root, proof)),
        ("old ^ 2", (old ^ 2, new, old_root, new_root, proof)),
        ("new * 2", (old, new * 2, old_root, new_root, proof)),
        ("new // 2", (old, new // 2, old_root, new_root, proof)),
        ("wrong old root", (old, new, b"WrongRoot", new_root, proof)),
        ("wrong new root", (old, new, old_root, b"WrongRoot", proof)),
        ("swapped roots", (old, new, new_root, old_root, proof)),
        ("empty proof", (old, new, old_root, new_root, [])),
        ("trailing garbage", (old, new, old_root, new_root, [*proof, b""])),
        ("trailing old root", (old, new, old_root, new_root, [*proof, old_root])),
        ("trailing new root", (old, new, old_root, new_root, [*proof, new_root])),
        ("preceding garbage", (old, new, old_root, new_root, [b"", *proof])),
        ("preceding old root", (old, new, old_root, new_root, [old_root, *proof])),
        ("preceding new root", (old, new, old_root, new_root, [new_root, *proof])),
        ("preceding proof[0]", (old, new, old_root, new_root, [proof[0], *proof])),
        ("truncated", (old, new, old_root, new_root, proof[:-1])),
    ]
    for position in range(len(proof)):
        for bit in range(256):
            changed = list(proof)
            changed[position] = flip_bit(changed[position], bit)
            probes.append((f"proof[{position}] bit {bit}", (old, new, old_root, new_root, changed)))
    return probes


def flip_bit(value: bytes, bit: int) -> bytes:
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


# --- edge cases -------------------------------------------------------------------------


def test_single_entry_inclusion():
    leaf = hash_leaf(b"data")
    assert verify_inclusion(0, 1, leaf, [], leaf)
    assert not verify_inclusion(0, 1, b"", [], leaf)
    assert not verify_inclusion(0, 1, leaf, [], b"")
    assert not verify_inclusion(0, 1, b"", [], b"")


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (1, 1), (2, 1)])
def test_inclusion_outside_the_tree_fails(index, size):
    assert not verify_inclusion(index, size, SOME_HASH, [], EMPTY_ROOT)
    assert root_from_inclusion_proof(index, size, SOME_HASH, []) is None


def test_consistency_edge_cases():
    any_root = SOME_HASH
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(0, 5, EMPTY_ROOT, any_root, [])
    assert verify_consistency(3, 3, any_root, any_root, [])
    # A size-0 head must carry the empty root (stricter than transparency-dev/merkle).
    assert not verify_consistency(0, 5, any_root, any_root, [])
    assert not verify_consistency(0, 5, EMPTY_ROOT, any_root, [EMPTY_ROOT])
    assert not verify_consistency(3, 3, any_root, EMPTY_ROOT, [])
    assert not verify_consistency(3, 3, any_root, any_root, [any_root])
    assert not verify_consistency(2, 1, any_root, any_root, [])  # time travel
    assert not verify_consistency(1, 2, any_root, any_root, [])  # missing proof


def test_proof_requests_outside_the_log_are_refused():
    tree = vector_tree()
    with pytest.raises(ValueError):
        tree.inclusion_proof(8)
    with pytest.raises(ValueError):
        tree.inclusion_proof(0, 9)
    with pytest.raises(ValueError):
        tree.consistency_proof(5, 4)
    with pytest.raises(ValueError):
        tree.root(9)


def test_resumed_tree_appends_without_old_leaves():
    hashes = [hash_leaf(bytes([i])) for i in range(23)]
    full = tree_of(hashes)
    head = tree_of(hashes[:13])
    # No leaf store: appends and the current root need only the frontier.
    resumed = MerkleTree.resume(head.size, head.frontier_bytes())
    resumed.extend(hashes[13:])
    assert resumed.root() == full.root()
    with pytest.raises(LookupError):
        resumed.root(5)
    with pytest.raises(ValueError):
        MerkleTree.resume(13, head.frontier_bytes()[:-1])


def test_proofs_from_a_cold_cache_equal_proofs_from_appends():
    hashes = [hash_leaf(i.to_bytes(4, "big")) for i in range(1000)]
    warm = tree_of(hashes, cache_min_level=2)
    store = InMemoryLeafStore(hashes)
    frontier = tree_of(hashes).frontier
    cold = MerkleTree(store.get_leaf_hashes, size=1000, frontier=frontier, cache_min_level=2)
    for index in (0, 1, 511, 512, 999):
        assert cold.inclusion_proof(index, 777 if index < 777 else 1000) == reference_path(
            index, hashes[: 777 if index < 777 else 1000]
        )
        assert cold.inclusion_proof(index) == warm.inclusion_proof(index)
    assert cold.consistency_proof(333) == reference_consistency(333, hashes)


def test_reads_only_small_ranges_once_subtrees_are_cached():
    hashes = [hash_leaf(i.to_bytes(4, "big")) for i in range(5000)]
    store = InMemoryLeafStore(hashes)
    reads = []

    def counting_reader(start, end):
        reads.append(end - start)
        return store.get_leaf_hashes(start, end)

    tree = MerkleTree(counting_reader, cache_min_level=5)
    tree.extend(hashes)
    tree.inclusion_proof(1234)
    tree.consistency_proof(2345)
    assert reads and max(reads) <= 16  # levels >= 5 came from the cache filled on append


# --- canonical leaf data ----------------------------------------------------------------

DIGEST = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"


def test_leaf_data_is_canonical_json():
    data = leaf_data(
        "item_version", 42, DIGEST, {"b": [1, "å"], "a": None, "c": {"y": 1, "x": True}}
    )
    assert (
        data
        == (
            '{"id":"42","kind":"item_version","meta":{"a":null,"b":[1,"å"],"c":{"x":true,"y":1}},'
            '"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","v":1}'
        ).encode()
    )
    # Key order and id type do not matter; each value does.
    assert data == leaf_data(
        "item_version", "42", DIGEST.lower(), {"c": {"x": True, "y": 1}, "a": None, "b": [1, "å"]}
    )
    assert record_leaf_hash("media", 1, DIGEST, {}) == hash_leaf(leaf_data("media", 1, DIGEST, {}))
    assert record_leaf_hash("media", 1, DIGEST, {}) != record_leaf_hash("media", 2, DIGEST, {})


def test_leaf_data_escapes_control_characters_only():
    data = leaf_data("media", "x", DIGEST, {"t": 'rad\n"ett"\\\x01\u2028ö'})
    assert b'"t":"rad\\n\\"ett\\"\\\\\\u0001\xe2\x80\xa8\xc3\xb6"' in data


@pytest.mark.parametrize(
    ("kind", "record_id", "digest", "metadata"),
    [
        ("Item", 1, DIGEST, {}),
        ("", 1, DIGEST, {}),
        ("media", "", DIGEST, {}),
        ("media", True, DIGEST, {}),
        ("media", 1.0, DIGEST, {}),
        ("media", 1, DIGEST[:-1], {}),
        ("media", 1, "g" * 64, {}),
        ("media", 1, DIGEST, []),
        ("media", 1, DIGEST, {"size": 1.5}),
        ("media", 1, DIGEST, {"n": 2**53}),
        ("media", 1, DIGEST, {1: "non-string key"}),
        ("media", 1, DIGEST, {"t": ("tuple",)}),
        ("media", 1, DIGEST, {"t": b"bytes"}),
        ("media", 1, DIGEST, {"t": "\ud800"}),
    ],
)
def test_leaf_data_refuses_what_has_no_canonical_form(kind, record_id, digest, metadata):
    with pytest.raises(LeafDataError):
        leaf_data(kind, record_id, digest, metadata)


# --- properties -------------------------------------------------------------------------

leaf_lists = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


@settings(max_examples=150, deadline=None)
@given(leaves=leaf_lists, data=st.data())
def test_every_inclusion_proof_verifies_and_matches_the_reference(leaves, data):
    hashes = [hash_leaf(x) for x in leaves]
    tree = tree_of(hashes, cache_min_level=data.draw(st.integers(1, 6)))
    size = data.draw(st.integers(1, len(hashes)))
    index = data.draw(st.integers(0, size - 1))
    root = tree.root(size)
    assert root == reference_mth(hashes[:size]) == root_of_leaf_hashes(hashes[:size])
    proof = tree.inclusion_proof(index, size)
    assert proof == reference_path(index, hashes[:size])
    assert verify_inclusion(index, size, hashes[index], proof, root)


@settings(max_examples=150, deadline=None)
@given(leaves=leaf_lists, data=st.data())
def test_every_consistency_proof_verifies_and_matches_the_reference(leaves, data):
    hashes = [hash_leaf(x) for x in leaves]
    tree = tree_of(hashes, cache_min_level=data.draw(st.integers(1, 6)))
    new = data.draw(st.integers(0, len(hashes)))
    old = data.draw(st.integers(0, new))
    proof = tree.consistency_proof(old, new)
    assert proof == reference_consistency(old, hashes[:new])
    assert verify_consistency(old, new, tree.root(old), tree.root(new), proof)


@settings(max_examples=200, deadline=None)
@given(leaves=st.lists(st.binary(max_size=8), min_size=2, max_size=70), data=st.data())
def test_one_bit_changed_in_a_leaf_or_proof_fails_inclusion(leaves, data):
    hashes = [hash_leaf(x) for x in leaves]
    tree = tree_of(hashes)
    index = data.draw(st.integers(0, len(hashes) - 1))
    proof = tree.inclusion_proof(index)
    position = data.draw(st.integers(0, len(proof)))  # len(proof) means the leaf itself
    bit = data.draw(st.integers(0, 255))
    leaf = hashes[index]
    if position == len(proof):
        leaf = flip_bit(leaf, bit)
    else:
        proof[position] = flip_bit(proof[position], bit)
    assert not verify_inclusion(index, len(hashes), leaf, proof, tree.root())


@settings(max_examples=200, deadline=None)
@given(leaves=st.lists(st.binary(max_size=8), min_size=2, max_size=70), data=st.data())
def test_one_bit_changed_in_a_consistency_proof_or_leaf_fails(leaves, data):
    hashes = [hash_leaf(x) for x in leaves]
    tree = tree_of(hashes)
    old = data.draw(st.integers(1, len(hashes) - 1))
    proof = tree.consistency_proof(old)
    old_root, new_root = tree.root(old), tree.root()
    bit = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        position = data.draw(st.integers(0, len(proof) - 1))
        proof[position] = flip_bit(proof[position], bit)
        assert not verify_consistency(old, len(hashes), old_root, new_root, proof)
    else:
        # Rewriting any leaf of the old tree breaks consistency with its signed root.
        changed = list(hashes)
        index = data.draw(st.integers(0, old - 1))
        changed[index] = flip_bit(changed[index], bit)
        rewritten = tree_of(changed)
        assert not verify_consistency(
            old, len(hashes), old_root, rewritten.root(), rewritten.consistency_proof(old)
        )


def test_leaf_hash_matches_an_independent_sha256():
    data = leaf_data("screenshot", "s-1", DIGEST, {"url": "https://example.org"})
    assert hash_leaf(data) == sha256(b"\x00" + data).digest()
