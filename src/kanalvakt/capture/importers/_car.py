"""A small streaming reader for CARv1 files with DAG-CBOR blocks (AT
Protocol repository exports).

CARv1: ``varint(len) + DAG-CBOR header {version: 1, roots: [CID]}``, then
blocks ``varint(len) + CID + data``. Blocks are read one at a time, so memory
does not grow with the file. DAG-CBOR is decoded with cbor2; CID links (CBOR
tag 42) become ``CidLink`` values.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import IO, Any

import cbor2

_CID_TAG = 42


class CidLink(bytes):
    """A CID in its binary form (without the multibase 0x00 prefix)."""

    def __str__(self) -> str:
        return cid_to_str(self)


def cid_to_str(cid: bytes) -> str:
    """Multibase base32 (lower, no padding) text form of a CIDv1, as atproto
    writes it (``bafy…``)."""
    if cid[:1] == b"\x12":  # CIDv0 (bare sha2-256 multihash): rare in atproto
        return "v0:" + cid.hex()
    return "b" + base64.b32encode(cid).decode("ascii").lower().rstrip("=")


def _tag_hook(*args: Any) -> Any:
    # cbor2 6 calls tag_hook(tag, immutable); older releases (decoder, tag).
    tag = next(a for a in args if isinstance(a, cbor2.CBORTag))
    if tag.tag == _CID_TAG:
        value = tag.value
        if not isinstance(value, bytes) or value[:1] != b"\x00":
            raise ValueError("malformed CID link in DAG-CBOR")
        return CidLink(value[1:])
    return tag


def decode_dag_cbor(data: bytes) -> Any:
    return cbor2.loads(data, tag_hook=_tag_hook)


def to_json(value: Any) -> Any:
    """atproto's JSON form: CID links → {"$link": …}, bytes → {"$bytes": …}."""
    if isinstance(value, CidLink):
        return {"$link": str(value)}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii").rstrip("=")}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def read_varint(stream: IO[bytes]) -> int | None:
    """An unsigned LEB128 varint; None at a clean end of file."""
    result = shift = 0
    while True:
        byte = stream.read(1)
        if not byte:
            if shift == 0:
                return None
            raise ValueError("truncated varint")
        result |= (byte[0] & 0x7F) << shift
        if not byte[0] & 0x80:
            return result
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def _varint_from(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise ValueError("truncated CID")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def split_cid(block: bytes) -> tuple[bytes, bytes]:
    """Split a CAR block section into (CID bytes, block data)."""
    if block[:2] == b"\x12\x20":  # CIDv0: sha2-256 multihash, 34 bytes
        return block[:34], block[34:]
    version, pos = _varint_from(block, 0)
    if version != 1:
        raise ValueError(f"unsupported CID version {version}")
    _codec, pos = _varint_from(block, pos)
    _hash_code, pos = _varint_from(block, pos)
    digest_len, pos = _varint_from(block, pos)
    end = pos + digest_len
    if end > len(block):
        raise ValueError("truncated CID digest")
    return block[:end], block[end:]


def read_header(stream: IO[bytes]) -> dict[str, Any]:
    length = read_varint(stream)
    if length is None:
        raise ValueError("empty CAR file")
    header = decode_dag_cbor(_read_exact(stream, length))
    if not isinstance(header, dict) or header.get("version") != 1:
        raise ValueError("not a CARv1 file")
    return header


def iter_blocks(stream: IO[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(CID bytes, data) for each block after the header."""
    for cid, data, _offset in iter_blocks_at(stream):
        yield cid, data


def iter_blocks_at(stream: IO[bytes]) -> Iterator[tuple[bytes, bytes, int]]:
    """(CID bytes, data, file offset of data) for each block, so a block can
    be read again later with ``read_at`` instead of being kept in memory."""
    while True:
        length = read_varint(stream)
        if length is None:
            return
        start = stream.tell()
        cid, data = split_cid(_read_exact(stream, length))
        yield cid, data, start + (length - len(data))


def read_at(stream: IO[bytes], offset: int, length: int) -> bytes:
    stream.seek(offset)
    return _read_exact(stream, length)


def _read_exact(stream: IO[bytes], length: int) -> bytes:
    if length > 64 * 1024 * 1024:
        raise ValueError("CAR section larger than 64 MiB")
    data = stream.read(length)
    if len(data) != length:
        raise ValueError("truncated CAR section")
    return data
