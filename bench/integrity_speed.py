"""Integrity log speed: append, root and proofs, full verification.

    uv run python bench/integrity_speed.py            # 100k and 1M appends, verify 1M
    uv run python bench/integrity_speed.py --quick    # 10k, for a smoke run

Targets (issue): append >= 10,000 records/s; verify 1,000,000 records in < 60 s.
Records are generated on the fly, as the archive streams them from the database.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from hashlib import sha256

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kanalvakt.archive.merkle import (
    InMemoryLeafStore,
    MerkleTree,
    hash_leaf,
    leaf_data,
    verify_consistency,
    verify_inclusion,
)
from kanalvakt.archive.tree_head import sign_tree_head
from kanalvakt.archive.verify_core import verify_log

KINDS = ("item_version", "media", "screenshot")


def record(index: int) -> tuple:
    """A record shaped like an archived post: ~80 bytes of text and typical metadata."""
    text = f"Hej! Biblioteket i Osby har öppet till 19 i kväll. Inlägg nummer {index}.".encode()
    metadata = {
        "channel": f"facebook:osby-{index % 17}",
        "captured_at": f"2025-03-{index % 28 + 1:02d}T10:{index % 60:02d}:00Z",
        "platform_id": f"1234567890_{index}",
        "version": 1 + index % 3,
    }
    return (index, KINDS[index % 3], index + 1, sha256(text).hexdigest(), metadata, text)


def bench_append(count: int) -> tuple[InMemoryLeafStore, MerkleTree]:
    store = InMemoryLeafStore()
    tree = MerkleTree(store.get_leaf_hashes)
    started = time.perf_counter()
    for index in range(count):
        _, kind, record_id, digest, metadata, _ = record(index)
        leaf_hash = hash_leaf(leaf_data(kind, record_id, digest, metadata))
        store.append(leaf_hash)
        tree.append(leaf_hash)
    elapsed = time.perf_counter() - started
    print(f"append {count:>9,} records: {elapsed:7.2f} s  {count / elapsed:>9,.0f} records/s")
    print("  (includes building each record, canonical JSON, leaf hash, frontier update)")
    return store, tree


def bench_proofs(store: InMemoryLeafStore, tree: MerkleTree, samples: int = 200) -> None:
    size = tree.size
    rng = random.Random(1)
    started = time.perf_counter()
    root = tree.root()
    print(f"root at {size:,}: {(time.perf_counter() - started) * 1e6:7.1f} µs (frontier)")

    started = time.perf_counter()
    old_size = size * 2 // 3 + 1
    old_root = tree.root(old_size)
    print(f"root at older size {old_size:,}: {(time.perf_counter() - started) * 1e3:7.2f} ms")

    cold = MerkleTree(store.get_leaf_hashes, size=size, frontier=tree.frontier)
    started = time.perf_counter()
    cold.inclusion_proof(rng.randrange(size))
    elapsed = time.perf_counter() - started
    print(f"first inclusion proof, empty node cache: {elapsed * 1e3:7.1f} ms (reads ~all leaves)")

    for label, prover in (
        ("warm node cache", tree),
        (
            "node cache filled by proofs",
            cold,
        ),
    ):
        indexes = [rng.randrange(size) for _ in range(samples)]
        started = time.perf_counter()
        proofs = [prover.inclusion_proof(index) for index in indexes]
        elapsed = time.perf_counter() - started
        print(
            f"inclusion proof ({label}): {elapsed / samples * 1e3:8.3f} ms each"
            f" over {samples} random leaves"
        )
        started = time.perf_counter()
        for index, proof in zip(indexes, proofs, strict=True):
            assert verify_inclusion(index, size, store.leaf_hashes[index], proof, root)
        elapsed = time.perf_counter() - started
        print(f"  verify: {elapsed / samples * 1e6:7.1f} µs each")

    started = time.perf_counter()
    proof = tree.consistency_proof(old_size)
    elapsed = time.perf_counter() - started
    assert verify_consistency(old_size, size, old_root, root, proof)
    print(f"consistency proof {old_size:,} -> {size:,}: {elapsed * 1e3:7.2f} ms")


def bench_verify(store: InMemoryLeafStore, tree: MerkleTree) -> None:
    count = tree.size
    key = Ed25519PrivateKey.generate()
    heads = [sign_tree_head(key, size, tree.root(size)) for size in (count // 2, count)]
    started = time.perf_counter()
    report = verify_log(
        (record(index) for index in range(count)),
        enumerate(store.leaf_hashes),
        heads,
        key.public_key(),
    )
    elapsed = time.perf_counter() - started
    assert report.ok and report.contents_checked == count, report.problems[:3]
    print(f"verify {count:>9,} records: {elapsed:7.2f} s  {count / elapsed:>9,.0f} records/s")
    print("  (re-hash content, rebuild leaf, compare log entry, root vs 2 signed heads)")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k records only")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [100_000, 1_000_000]
    for count in sizes:
        store, tree = bench_append(count)
        bench_proofs(store, tree)
        print()
    bench_verify(store, tree)


if __name__ == "__main__":
    main(sys.argv[1:])
