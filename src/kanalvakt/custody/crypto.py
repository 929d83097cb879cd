"""Envelope encryption for deposited credentials and platform tokens (R6.2).

Pure Python, no Django: the custody app wraps this in models, views and the
``kanalvakt custody rotate-key`` command.

Each secret gets a fresh 256-bit data key. The payload is encrypted with
AES-256-GCM under that data key, with associated data (AAD) naming the record
it belongs to (purpose, object id, version), so a ciphertext copied to another
row fails authentication instead of opening as someone else's password. The
data key is then wrapped by a key-encryption key (KEK) from a provider
(``kek.FileKeyProvider`` or ``kek.VaultTransitKeyProvider``). Only the
``SealedSecret`` fields are stored; the AAD is rebuilt from the row that holds
them, never stored next to it.

Every failure raises a ``CustodyError`` subclass: nothing here ever returns a
plaintext that did not authenticate.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hmac
import os
import struct
from typing import TYPE_CHECKING, Any, ClassVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

if TYPE_CHECKING:
    from kanalvakt.custody.kek import KeyEncryptionKeyProvider

FORMAT_VERSION = 1
"""Version 1: AES-256-GCM payload, 96-bit random nonce, 128-bit tag."""

DATA_KEY_BYTES = 32
NONCE_BYTES = 12
_TAG_BYTES = 16
_AAD_DOMAIN = b"kanalvakt/aad/1"
_BINARY_MAGIC = b"KVS"


# --- errors ---------------------------------------------------------------


class CustodyError(Exception):
    """Base of every custody failure. Messages never contain secret or key bytes.

    ``code`` is stable and meant for the audit event the caller writes.
    """

    code: ClassVar[str] = "custody_error"

    def __init__(self, message: str, *, kek_id: str | None = None) -> None:
        super().__init__(message)
        self.kek_id = kek_id


class KeyUnavailable(CustodyError):
    """The key-encryption key is missing, retired, unreachable or refused."""

    code = "key_unavailable"


class InsecureKeyFile(KeyUnavailable):
    """The key file exists but others than its owner may read or write it."""

    code = "insecure_key_file"


class DecryptionFailed(CustodyError):
    """Authentication failed: tampered data, a swapped row, or the wrong key."""

    code = "decryption_failed"


class MalformedSecret(DecryptionFailed):
    """The stored form is not a sealed secret this version understands."""

    code = "malformed_secret"


# Alias the wording; callers should prefer DecryptionFailed to avoid
# confusion with django.db.IntegrityError.
IntegrityError = DecryptionFailed


# --- redacted holders -----------------------------------------------------


class SecretBytes:
    """Bytes that must not end up in logs, tracebacks, error pages or caches.

    ``repr``/``str``/format show a fixed marker (not even the length, which
    would leak password length); pickling is refused so a secret cannot slip
    into a cache, session or task queue by accident. Use ``reveal()`` at the
    single place that really needs the bytes.
    """

    __slots__ = ("_value",)
    _label: ClassVar[str] = "SecretBytes"

    def __init__(self, value: bytes | bytearray | memoryview) -> None:
        if not isinstance(value, bytes | bytearray | memoryview):
            raise TypeError(f"{self._label} needs bytes, not {type(value).__name__}")
        self._value = bytes(value)

    def reveal(self) -> bytes:
        return self._value

    def __repr__(self) -> str:
        return f"<{self._label}: redacted>"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretBytes):
            return NotImplemented
        return hmac.compare_digest(self._value, other._value)

    __hash__ = None  # type: ignore[assignment]  # no dict/set lookup by secret value

    def __reduce__(self) -> Any:
        raise TypeError(f"{self._label} must not be pickled")


class Plaintext(SecretBytes):
    """A revealed secret. Redacted in repr/str; ``reveal()``/``reveal_text()``."""

    __slots__ = ()
    _label = "Plaintext"

    def reveal_text(self, encoding: str = "utf-8") -> str:
        return self._value.decode(encoding)


class DataKey(SecretBytes):
    """A per-secret AES-256 data key, in memory only while sealing/opening."""

    __slots__ = ()
    _label = "DataKey"

    @classmethod
    def generate(cls) -> DataKey:
        return cls(os.urandom(DATA_KEY_BYTES))


# --- stored form ----------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str, field: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError, TypeError):
        raise MalformedSecret(f"sealed secret field '{field}' is not valid base64") from None


@dataclasses.dataclass(frozen=True, slots=True)
class SealedSecret:
    """What gets stored: nothing here reveals the secret without the KEK.

    ``kek_id`` names the KEK version that wrapped ``wrapped_data_key``; a
    rotation changes only those two fields.
    """

    ciphertext: bytes  # AES-256-GCM output, tag included
    nonce: bytes
    wrapped_data_key: bytes
    kek_id: str
    format_version: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        if self.format_version != FORMAT_VERSION:
            raise MalformedSecret(
                f"unsupported sealed-secret format version {self.format_version!r}"
            )
        for name in ("ciphertext", "nonce", "wrapped_data_key"):
            if not isinstance(getattr(self, name), bytes):
                raise MalformedSecret(f"sealed secret field '{name}' must be bytes")
        if len(self.nonce) != NONCE_BYTES:
            raise MalformedSecret(f"nonce must be {NONCE_BYTES} bytes")
        if len(self.ciphertext) < _TAG_BYTES:
            raise MalformedSecret("ciphertext is shorter than its authentication tag")
        if not self.wrapped_data_key:
            raise MalformedSecret("wrapped data key is empty")
        if not isinstance(self.kek_id, str) or not self.kek_id.isascii() or not self.kek_id:
            raise MalformedSecret("kek_id must be a non-empty ASCII string")

    @property
    def algorithm(self) -> str:
        return "AES-256-GCM"

    def __repr__(self) -> str:  # ciphertext is harmless, but noisy in logs
        return f"SealedSecret(kek_id={self.kek_id!r}, format_version={self.format_version})"

    # Compact dict (JSON-safe) form.
    def to_dict(self) -> dict[str, Any]:
        return {
            "v": self.format_version,
            "kek": self.kek_id,
            "wdk": _b64(self.wrapped_data_key),
            "n": _b64(self.nonce),
            "ct": _b64(self.ciphertext),
        }

    @classmethod
    def from_dict(cls, data: Any) -> SealedSecret:
        if not isinstance(data, dict) or set(data) != {"v", "kek", "wdk", "n", "ct"}:
            raise MalformedSecret("sealed secret dict has missing or unknown fields")
        if not all(isinstance(data[k], str) for k in ("kek", "wdk", "n", "ct")):
            raise MalformedSecret("sealed secret dict fields must be strings")
        return cls(
            ciphertext=_unb64(data["ct"], "ct"),
            nonce=_unb64(data["n"], "n"),
            wrapped_data_key=_unb64(data["wdk"], "wdk"),
            kek_id=data["kek"],
            format_version=data["v"],
        )

    # Compact binary form: magic, version, then length-prefixed fields.
    def to_bytes(self) -> bytes:
        fields = (self.kek_id.encode("ascii"), self.wrapped_data_key, self.nonce, self.ciphertext)
        body = b"".join(struct.pack(">I", len(f)) + f for f in fields)
        return _BINARY_MAGIC + bytes([self.format_version]) + body

    @classmethod
    def from_bytes(cls, blob: bytes) -> SealedSecret:
        if not isinstance(blob, bytes | bytearray | memoryview):
            raise MalformedSecret("sealed secret must be bytes")
        blob = bytes(blob)
        if len(blob) < 4 or blob[:3] != _BINARY_MAGIC:
            raise MalformedSecret("not a sealed secret (bad magic)")
        version, pos, fields = blob[3], 4, []
        for _ in range(4):
            if pos + 4 > len(blob):
                raise MalformedSecret("sealed secret is truncated")
            (length,) = struct.unpack_from(">I", blob, pos)
            pos += 4
            if pos + length > len(blob):
                raise MalformedSecret("sealed secret is truncated")
            fields.append(blob[pos : pos + length])
            pos += length
        if pos != len(blob):
            raise MalformedSecret("sealed secret has trailing bytes")
        kek_id, wrapped, nonce, ciphertext = fields
        try:
            kek_text = kek_id.decode("ascii")
        except UnicodeDecodeError:
            raise MalformedSecret("kek_id must be ASCII") from None
        return cls(ciphertext, nonce, wrapped, kek_text, version)


# --- associated data ------------------------------------------------------


def aad_for(purpose: str, object_id: object, version: int) -> bytes:
    """Canonical associated data binding a secret to the record that holds it.

    Length-prefixed, so ("a", "bc") and ("ab", "c") differ. ``object_id`` is
    taken by its ``str`` (int pk or UUID); ``purpose`` separates kinds of
    secret, e.g. ``"channel-credential"`` from ``"platform-token"``.
    """
    if not isinstance(purpose, str) or not purpose:
        raise ValueError("purpose must be a non-empty string")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ValueError("version must be a non-negative int")
    if object_id is None or str(object_id) == "":
        raise ValueError("object_id must be set (save the row before sealing)")
    parts = (purpose.encode(), str(object_id).encode(), str(version).encode())
    return _AAD_DOMAIN + b"".join(struct.pack(">I", len(p)) + p for p in parts)


def _payload_aad(format_version: int, aad: bytes) -> bytes:
    # The format version is authenticated too, so it cannot be downgraded.
    return bytes([format_version]) + aad


def _require_aad(aad: bytes) -> None:
    if not isinstance(aad, bytes) or not aad:
        raise ValueError("aad must be non-empty bytes; build it with aad_for()")


# --- operations -----------------------------------------------------------


def seal(plaintext: bytes | Plaintext, aad: bytes, kek: KeyEncryptionKeyProvider) -> SealedSecret:
    """Encrypt ``plaintext`` under a fresh data key wrapped by ``kek``."""
    _require_aad(aad)
    if not isinstance(plaintext, bytes | SecretBytes):
        raise TypeError("plaintext must be bytes or Plaintext")
    data_key = DataKey.generate()
    # Wrap first: it is the step that can fail (Vault down), and this frame then
    # holds no raw plaintext copy for a traceback-with-locals to show.
    wrapped, kek_id = kek.wrap(data_key)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key.reveal()).encrypt(
        nonce,
        plaintext.reveal() if isinstance(plaintext, SecretBytes) else plaintext,
        _payload_aad(FORMAT_VERSION, aad),
    )
    return SealedSecret(ciphertext, nonce, wrapped, kek_id)


def open_sealed(sealed: SealedSecret, aad: bytes, kek: KeyEncryptionKeyProvider) -> Plaintext:
    """Decrypt, or raise: ``KeyUnavailable`` / ``DecryptionFailed``. Never a wrong plaintext."""
    _require_aad(aad)
    if not isinstance(sealed, SealedSecret):
        raise MalformedSecret("expected a SealedSecret")
    data_key = kek.unwrap(sealed.wrapped_data_key, sealed.kek_id)
    if len(data_key.reveal()) != DATA_KEY_BYTES:
        raise DecryptionFailed("unwrapped data key has the wrong length", kek_id=sealed.kek_id)
    try:
        payload = AESGCM(data_key.reveal()).decrypt(
            sealed.nonce, sealed.ciphertext, _payload_aad(sealed.format_version, aad)
        )
    except InvalidTag:
        raise DecryptionFailed(
            "the secret failed authentication: its ciphertext or nonce was altered, "
            "or it was moved from another record (other channel, purpose or version)",
            kek_id=sealed.kek_id,
        ) from None
    return Plaintext(payload)


def needs_rewrap(sealed: SealedSecret, kek: KeyEncryptionKeyProvider) -> bool:
    """True when ``sealed`` is not wrapped by the provider's current KEK version."""
    return sealed.kek_id != kek.current_kek_id


def rewrap(
    sealed: SealedSecret,
    kek: KeyEncryptionKeyProvider,
    target: KeyEncryptionKeyProvider | None = None,
) -> SealedSecret:
    """Re-wrap only the data key; the payload is never decrypted.

    With one provider the data key moves to its current KEK version (Vault
    does this server side, so the data key never leaves it). With ``target``
    the data key is unwrapped by ``kek`` and wrapped by ``target``: the
    migration from a key file to Vault.
    """
    if target is None or target is kek:
        wrapped, kek_id = kek.rewrap(sealed.wrapped_data_key, sealed.kek_id)
    else:
        wrapped, kek_id = target.wrap(kek.unwrap(sealed.wrapped_data_key, sealed.kek_id))
    return dataclasses.replace(sealed, wrapped_data_key=wrapped, kek_id=kek_id)
