"""Bluesky repository export (``repo.car`` from "Export my data" /
``com.atproto.sync.getRepo``).

A record block does not say its own key, and the AT-URI (the item's id)
needs it, so the file is read twice, block by block:

1. find the commit (the CAR root: the repo's DID) and walk every MST node's
   entries, keeping ``record CID → key`` for ``app.bsky.feed.post/…`` only;
2. decode the blocks of those CIDs into posts.

Memory grows with the number of posts (one small map entry each), never with
the file size. Records referenced by the MST but absent from the CAR (a
partial export) are reported as CaptureErrors.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kanalvakt.capture.importers._car import (
    CidLink,
    decode_dag_cbor,
    iter_blocks,
    iter_blocks_at,
    read_at,
    read_header,
    to_json,
)
from kanalvakt.capture.normalize._common import MALFORMED, describe
from kanalvakt.capture.normalize.bluesky import POST_TYPE, item_from_record
from kanalvakt.capture.types import CaptureError, CaptureResult, ChannelIdentity

PLATFORM = "bluesky"
_POST_PREFIX = POST_TYPE + "/"


def iter_import(path: str | Path, identity: ChannelIdentity) -> Iterator[CaptureResult]:
    path = Path(path)
    try:
        did, posts = _index(path)
    except MALFORMED as exc:
        yield CaptureError(PLATFORM, None, f"unreadable CAR file: {describe(exc)}", None)
        return
    if did is None:
        yield CaptureError(PLATFORM, None, "CAR file has no repository commit", None)
        return
    if did != identity.account_id:
        yield CaptureError(
            PLATFORM,
            None,
            f"repository of {did}, not of this channel ({identity.account_id})",
            None,
        )
        return
    with path.open("rb") as stream:
        read_header(stream)
        for cid, data in iter_blocks(stream):
            keys = posts.pop(cid, None)
            if keys is None:
                continue
            for key in keys:
                yield _post(data, key, did, identity)
    for keys in posts.values():
        for key in keys:
            uri = f"at://{did}/{key}"
            yield CaptureError(PLATFORM, uri, "record block missing from the CAR file", None)


def _index(path: Path) -> tuple[str | None, dict[bytes, list[str]]]:
    """Pass 1: the repo DID and ``record CID → [post keys]`` of the current
    repo state.

    Exports can carry history (older commits and MST nodes), so the MST is
    walked from the root commit's ``data``; node blocks are re-read by file
    offset rather than kept in memory.
    """
    node_at: dict[bytes, tuple[int, int]] = {}
    commit: dict[str, Any] | None = None
    with path.open("rb") as stream:
        header = read_header(stream)
        roots = header.get("roots") or []
        root = bytes(roots[0]) if roots else None
        for cid, data, offset in iter_blocks_at(stream):
            node = _decode_or_none(data)
            if not isinstance(node, dict):
                continue
            if cid == root and "did" in node:
                commit = node
            elif "e" in node and "l" in node:
                node_at[cid] = (offset, len(data))
        if commit is None:
            return None, {}
        posts: dict[bytes, list[str]] = {}
        pending = [commit["data"]]
        while pending:
            cid = bytes(pending.pop())
            if cid not in node_at:
                raise ValueError("MST node missing from the CAR file")
            node = decode_dag_cbor(read_at(stream, *node_at[cid]))
            if isinstance(node.get("l"), CidLink):
                pending.append(node["l"])
            for key, record_cid, subtree in _mst_entries(node):
                if key.startswith(_POST_PREFIX):
                    posts.setdefault(bytes(record_cid), []).append(key)
                if subtree is not None:
                    pending.append(subtree)
    return str(commit["did"]), posts


def _decode_or_none(data: bytes) -> Any:
    try:
        return decode_dag_cbor(data)
    except Exception:  # a non-CBOR block (e.g. a raw blob) is not a node
        return None


def _mst_entries(node: dict[str, Any]) -> Iterator[tuple[str, CidLink, CidLink | None]]:
    """(key, record CID, right subtree) of an MST node's entries: each entry
    stores the prefix length it shares with the previous key, and the rest."""
    previous = b""
    for entry in node["e"]:
        key = previous[: entry["p"]] + entry["k"]
        previous = key
        subtree = entry.get("t") if isinstance(entry.get("t"), CidLink) else None
        yield key.decode("utf-8"), entry["v"], subtree


def _post(data: bytes, key: str, did: str, identity: ChannelIdentity) -> CaptureResult:
    uri = f"at://{did}/{key}"
    try:
        record = to_json(decode_dag_cbor(data))
        if not isinstance(record, dict):
            raise TypeError("record is not a map")
        return item_from_record(record, identity, uri=uri, author_did=did)
    except MALFORMED as exc:
        return CaptureError(PLATFORM, uri, describe(exc), None)
