"""Signed tree heads (STH) for the integrity log: Ed25519 signatures, optional RFC 3161.

What is signed (bytes, in this order):
  the 23 ASCII bytes ``kanalvakt-tree-head-v1\\n`` (so the signature can never be
  replayed as one over another kind of message), then RFC 6962 section 3.5's
  TreeHeadSignature: version ``0x00`` (v1), signature type ``0x01`` (tree_hash),
  uint64 big-endian timestamp in milliseconds since 1970-01-01 UTC, uint64 big-endian
  tree size, and the 32-byte root hash.

A stored or exported tree head is the canonical JSON of
``{"key_id": hex, "root_hash": hex, "signature": base64, "size": int, "timestamp": ms}``
(see :func:`kanalvakt.archive.merkle.canonical_json`). ``key_id`` is the SHA-256 of the
32-byte raw Ed25519 public key, so a verifier can tell which key a head needs.

Pure Python, no Django: the caller passes the key file path and the TSA settings.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import os
import secrets
import stat
import struct
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from kanalvakt.archive.merkle import HASH_SIZE, canonical_json

logger = logging.getLogger(__name__)

SIGNING_CONTEXT = b"kanalvakt-tree-head-v1\n"
_RFC6962_V1 = 0
_RFC6962_TREE_HASH = 1
_MAX_UINT64 = 2**64 - 1
_JSON_FIELDS = {"key_id", "root_hash", "signature", "size", "timestamp"}
BACKUP_WARNING = (
    "created integrity-log signing key %s: back it up with the custody key. Without its "
    "public key, old signed tree heads cannot be checked; if it leaks, heads can be forged."
)


class TreeHeadError(ValueError):
    """A tree head, key file or time-stamp is malformed or cannot be used."""


class InsecureKeyFileError(TreeHeadError):
    """The signing key file may be read by group or others."""


def signing_input(size: int, root_hash: bytes, timestamp_ms: int) -> bytes:
    if not 0 <= size <= _MAX_UINT64 or not 0 <= timestamp_ms <= _MAX_UINT64:
        raise TreeHeadError("size and timestamp must fit in 64 bits")
    if len(root_hash) != HASH_SIZE:
        raise TreeHeadError("a root hash is 32 bytes")
    header = struct.pack(">BBQQ", _RFC6962_V1, _RFC6962_TREE_HASH, timestamp_ms, size)
    return SIGNING_CONTEXT + header + root_hash


def key_id_of(public_key: Ed25519PublicKey) -> bytes:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256(raw).digest()


@dataclass(frozen=True)
class SignedTreeHead:
    size: int
    root_hash: bytes
    timestamp: int  # milliseconds since 1970-01-01 UTC, as in RFC 6962
    signature: bytes
    key_id: bytes

    @property
    def timestamp_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp / 1000, tz=UTC)

    def signed_bytes(self) -> bytes:
        return signing_input(self.size, self.root_hash, self.timestamp)

    def to_dict(self) -> dict:
        return {
            "key_id": self.key_id.hex(),
            "root_hash": self.root_hash.hex(),
            "signature": base64.b64encode(self.signature).decode("ascii"),
            "size": self.size,
            "timestamp": self.timestamp,
        }

    def to_json(self) -> bytes:
        """The canonical serialisation: what is stored, exported and time-stamped."""
        return canonical_json(self.to_dict())

    @classmethod
    def from_dict(cls, fields: dict) -> SignedTreeHead:
        if not isinstance(fields, dict) or set(fields) != _JSON_FIELDS:
            raise TreeHeadError(f"a tree head has exactly the fields {sorted(_JSON_FIELDS)}")
        size, timestamp = fields["size"], fields["timestamp"]
        for name, number in (("size", size), ("timestamp", timestamp)):
            if isinstance(number, bool) or not isinstance(number, int):
                raise TreeHeadError(f"{name} must be an integer")
            if not 0 <= number <= _MAX_UINT64:
                raise TreeHeadError(f"{name} must fit in 64 bits")
        try:
            root_hash = bytes.fromhex(fields["root_hash"])
            key_id = bytes.fromhex(fields["key_id"])
            signature = base64.b64decode(fields["signature"], validate=True)
        except (TypeError, ValueError, binascii.Error) as error:
            raise TreeHeadError(f"malformed tree head field: {error}") from None
        if len(root_hash) != HASH_SIZE or len(key_id) != HASH_SIZE or len(signature) != 64:
            raise TreeHeadError("root hash, key id or signature has the wrong length")
        return cls(size, root_hash, timestamp, signature, key_id)

    @classmethod
    def from_json(cls, data: bytes | str) -> SignedTreeHead:
        try:
            fields = json.loads(data)
        except ValueError as error:
            raise TreeHeadError(f"tree head is not JSON: {error}") from None
        return cls.from_dict(fields)


def sign_tree_head(
    private_key: Ed25519PrivateKey, size: int, root_hash: bytes, timestamp_ms: int | None = None
) -> SignedTreeHead:
    if timestamp_ms is None:
        timestamp_ms = time.time_ns() // 1_000_000
    signature = private_key.sign(signing_input(size, root_hash, timestamp_ms))
    return SignedTreeHead(
        size, root_hash, timestamp_ms, signature, key_id_of(private_key.public_key())
    )


def verify_tree_head(sth: SignedTreeHead, public_key: Ed25519PublicKey) -> bool:
    """Whether ``sth`` was signed by ``public_key`` (and names that key)."""
    if sth.key_id != key_id_of(public_key):
        return False
    try:
        public_key.verify(sth.signature, sth.signed_bytes())
    except (InvalidSignature, TreeHeadError):
        return False
    return True


# --- keys ------------------------------------------------------------------------------


def load_or_create_signing_key(path: str | os.PathLike) -> Ed25519PrivateKey:
    """The Ed25519 key in the PEM file at ``path``, created (mode 0600) if missing.

    Kept like the custody key: never group/world readable (refused if it is), written
    whole or not at all, and a warning to back it up is logged when it is created.
    """
    path = Path(path)
    try:
        return load_signing_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # whatever the umask says
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            # link() never replaces: if another worker created the key first, use theirs.
            os.link(temporary, path)
        except FileExistsError:
            return load_signing_key(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    logger.warning(BACKUP_WARNING, path)
    return key


def load_signing_key(path: str | os.PathLike) -> Ed25519PrivateKey:
    """Load the Ed25519 private key PEM at ``path``; FileNotFoundError if absent."""
    with open(path, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise TreeHeadError(f"signing key {path} is not a regular file")
        if mode & 0o077:
            raise InsecureKeyFileError(
                f"refusing to use signing key {path}: its mode is {stat.S_IMODE(mode):04o}; "
                f"run 'chmod 600 {path}' and check who may have copied it"
            )
        pem = handle.read()
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise TreeHeadError(f"signing key {path} is not an unencrypted PEM key") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise TreeHeadError(f"signing key {path} is not an Ed25519 key")
    return key


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The SubjectPublicKeyInfo PEM to publish and to ship with exports."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as error:
        raise TreeHeadError("not a PEM public key") from error
    if not isinstance(key, Ed25519PublicKey):
        raise TreeHeadError("the public key is not an Ed25519 key")
    return key


# --- RFC 3161 time-stamps --------------------------------------------------------------


class TimestampError(TreeHeadError):
    """The time-stamping authority refused, failed, or gave a token that does not verify."""


def timestamp_tree_head(
    sth: SignedTreeHead, tsa_url: str, *, timeout: float = 30.0, client: httpx.Client | None = None
) -> bytes:
    """Ask the RFC 3161 TSA at ``tsa_url`` to time-stamp ``sth.to_json()``.

    The whole serialisation, signature included, is stamped: it proves the signature
    existed at that time, so a signing key stolen later cannot back-date heads.
    Returns the DER TimeStampResp to store beside the head.
    """
    message = sth.to_json()
    request = (
        TimestampRequestBuilder()
        .data(message)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    post = client.post if client is not None else httpx.post
    try:
        reply = post(
            tsa_url,
            content=request.as_bytes(),
            headers={"Content-Type": "application/timestamp-query"},
            timeout=timeout,
        )
        reply.raise_for_status()
    except httpx.HTTPError as error:
        raise TimestampError(f"time-stamping authority {tsa_url} failed: {error}") from error
    try:
        response = decode_timestamp_response(reply.content)
    except ValueError as error:
        raise TimestampError(f"{tsa_url} did not answer with a time-stamp: {error}") from error
    if response.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampError(f"{tsa_url} refused: {response.status} {response.status_string}")
    # Check the token is for this head and this request before anyone stores it.
    if response.tst_info.message_imprint.message != sha256(message).digest():
        raise TimestampError(f"{tsa_url} stamped something other than this tree head")
    if response.tst_info.nonce != request.nonce:
        raise TimestampError(f"{tsa_url} answered with another request's nonce")
    return response.as_bytes()


def verify_tree_head_timestamp(
    sth: SignedTreeHead,
    response_der: bytes,
    tsa_roots: list[x509.Certificate],
    intermediates: list[x509.Certificate] | None = None,
) -> datetime:
    """Check a stored time-stamp against trusted TSA roots; return the stamped time."""
    try:
        response = decode_timestamp_response(response_der)
        builder = VerifierBuilder(roots=list(tsa_roots), intermediates=list(intermediates or []))
        builder.build().verify_message(response, sth.to_json())
    except (ValueError, VerificationError) as error:
        raise TimestampError(f"time-stamp does not verify: {error}") from error
    return response.tst_info.gen_time
