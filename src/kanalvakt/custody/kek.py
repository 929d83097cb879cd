"""Key-encryption-key (KEK) providers for custody's envelope encryption.

A provider wraps and unwraps 256-bit data keys; it never sees a secret's
payload. Two providers:

* ``FileKeyProvider``: versioned KEKs in a local JSON key file (0600), the
  embedded default. Back it up separately from the database.
* ``VaultTransitKeyProvider``: HashiCorp Vault / OpenBao transit engine via
  ``hvac``; the KEK never leaves Vault and rewrap happens server side.

``kek_id`` strings are self-describing (``file:<key set>:v3``,
``vault:transit/kanalvakt:v3``) so a wrong provider or key file is reported as
such instead of as a generic decryption failure.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import fcntl
import json
import logging
import os
import re
import secrets
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import hvac
import hvac.exceptions
import requests
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kanalvakt.custody.crypto import (
    DATA_KEY_BYTES,
    NONCE_BYTES,
    DataKey,
    DecryptionFailed,
    InsecureKeyFile,
    KeyUnavailable,
    SecretBytes,
)

logger = logging.getLogger("kanalvakt.custody")


@dataclasses.dataclass(frozen=True)
class ProviderHealth:
    ok: bool
    detail: str


@runtime_checkable
class KeyEncryptionKeyProvider(Protocol):
    """What ``crypto.seal``/``open_sealed``/``rewrap`` need from a KEK source."""

    @property
    def current_kek_id(self) -> str:
        """The KEK version new wraps use."""

    def wrap(self, data_key: DataKey) -> tuple[bytes, str]:
        """Wrap with the current version; returns (wrapped, kek_id)."""

    def unwrap(self, wrapped: bytes, kek_id: str) -> DataKey:
        """Raise KeyUnavailable or DecryptionFailed rather than return a wrong key."""

    def rewrap(self, wrapped: bytes, kek_id: str) -> tuple[bytes, str]:
        """Move a wrapped data key to the current version."""

    def rotate(self) -> str:
        """Add a new KEK version, make it current, return its id."""

    def retire_old_versions(self) -> list[str]:
        """Make every non-current version unusable; returns the retired ids."""

    def health_check(self) -> ProviderHealth: ...


def _data_key_bytes(data_key: DataKey | bytes) -> bytes:
    raw = data_key.reveal() if isinstance(data_key, SecretBytes) else data_key
    if not isinstance(raw, bytes) or len(raw) != DATA_KEY_BYTES:
        raise ValueError(f"a data key is {DATA_KEY_BYTES} bytes")
    return raw


# --- key file -------------------------------------------------------------

_FILE_FORMAT = "kanalvakt-kek-file/1"
_FILE_KEK_ID = re.compile(r"^file:(?P<key_set>[0-9a-f]{16}):v(?P<version>[1-9][0-9]{0,8})$")
_FILE_WRAP_DOMAIN = b"kanalvakt/kek-wrap/1|"
_FILE_WRAPPED_LEN = NONCE_BYTES + DATA_KEY_BYTES + 16

BACKUP_WARNING = (
    "Created a NEW key-encryption key file at %s. BACK IT UP NOW, and keep the "
    "backup SEPARATE from the database and its backups: without this file every "
    "deposited credential is lost for good; stored next to the database it "
    "protects nothing."
)


class _CorruptKeyFile(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class _KeyFile:
    key_set: str
    current: int
    keys: dict[int, SecretBytes]
    retired: tuple[int, ...]

    def kek_id(self, version: int) -> str:
        return f"file:{self.key_set}:v{version}"

    def to_json(self) -> bytes:
        doc = {
            "format": _FILE_FORMAT,
            "key_set": self.key_set,
            "current": self.current,
            "keys": {
                str(v): base64.b64encode(k.reveal()).decode("ascii")
                for v, k in sorted(self.keys.items())
            },
            "retired": sorted(self.retired),
        }
        return (json.dumps(doc, indent=2) + "\n").encode("ascii")


class FileKeyProvider:
    """Versioned KEKs in a JSON key file readable only by its owner.

    The file is re-read whenever it changes on disk, so a web process picks up
    a rotation done by ``kanalvakt custody rotate-key`` in another process.
    With ``create_if_missing=False`` a missing file is an error, not a silent
    new key set: use that once any secret has been deposited.
    """

    def __init__(self, path: str | os.PathLike[str], *, create_if_missing: bool = True) -> None:
        self.path = Path(path)
        self.create_if_missing = create_if_missing
        self._cached: _KeyFile | None = None
        self._stamp: tuple[int, ...] | None = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"FileKeyProvider(path={str(self.path)!r})"

    # reading

    def _state(self) -> _KeyFile:
        with self._lock:
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                if not self.create_if_missing:
                    raise KeyUnavailable(
                        f"key file {self.path} does not exist; restore it from its backup "
                        "(without it deposited credentials cannot be opened)"
                    ) from None
                self._create()
                st = os.stat(self.path)
            except OSError as exc:
                raise KeyUnavailable(
                    f"cannot access key file {self.path}: {exc.strerror}"
                ) from None
            # ctime and mode too: a chmod to 0644 must be noticed, not served from cache.
            stamp = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_mode)
            if self._cached is None or stamp != self._stamp:
                self._cached, self._stamp = self._read(), stamp
            return self._cached

    def _read(self) -> _KeyFile:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError as exc:
            raise KeyUnavailable(f"cannot open key file {self.path}: {exc.strerror}") from None
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise KeyUnavailable(f"key file {self.path} is not a regular file")
            if st.st_mode & 0o077:
                raise InsecureKeyFile(
                    f"refusing to use key file {self.path}: its mode is "
                    f"{stat.S_IMODE(st.st_mode):04o}, so group or others may access it; "
                    f"run 'chmod 600 {self.path}' and check who may have copied it"
                )
            raw = SecretBytes(fh.read())
        try:
            return self._parse(raw.reveal())
        except _CorruptKeyFile as exc:
            # Raised from this frame, so tracebacks show no parsed key material.
            raise KeyUnavailable(
                f"key file {self.path} is unreadable ({exc}); restore it from its backup"
            ) from None

    @staticmethod
    def _parse(raw: bytes) -> _KeyFile:
        corrupt = _CorruptKeyFile
        try:
            doc = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise corrupt("not JSON") from None
        if not isinstance(doc, dict) or doc.get("format") != _FILE_FORMAT:
            raise corrupt(f"format is not {_FILE_FORMAT}")
        key_set, current = doc.get("key_set"), doc.get("current")
        raw_keys, retired = doc.get("keys"), doc.get("retired", [])
        if not isinstance(key_set, str) or not re.fullmatch(r"[0-9a-f]{16}", key_set):
            raise corrupt("bad key_set")
        if not isinstance(raw_keys, dict) or not isinstance(retired, list):
            raise corrupt("bad keys")
        keys: dict[int, SecretBytes] = {}
        for version, encoded in raw_keys.items():
            try:
                key = base64.b64decode(encoded, validate=True)
                number = int(version)
            except (binascii.Error, ValueError, TypeError):
                raise corrupt(f"bad entry for version {version!r}") from None
            if len(key) != 32 or number < 1:
                raise corrupt(f"bad entry for version {version!r}")
            keys[number] = SecretBytes(key)
        if not isinstance(current, int) or current not in keys:
            raise corrupt("current version has no key")
        if not all(isinstance(v, int) for v in retired):
            raise corrupt("bad retired list")
        return _KeyFile(key_set, current, keys, tuple(retired))

    # writing

    def _create(self) -> None:
        state = _KeyFile(
            key_set=secrets.token_hex(8),
            current=1,
            keys={1: SecretBytes(AESGCM.generate_key(bit_length=256))},
            retired=(),
        )
        try:
            # link() never replaces: if another process created it first, use theirs.
            self._write(state, replace=False)
        except FileExistsError:
            return
        logger.warning(BACKUP_WARNING, self.path)

    def _write(self, state: _KeyFile, *, replace: bool = True) -> None:
        """Write atomically (temp file, fsync, rename) so a crash never leaves half a key file."""
        directory = self.path.parent
        tmp = directory / f".{self.path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "wb") as fh:
                    os.fchmod(fh.fileno(), 0o600)
                    fh.write(state.to_json())
                    fh.flush()
                    os.fsync(fh.fileno())
                if replace:
                    os.replace(tmp, self.path)
                else:
                    os.link(tmp, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except FileExistsError:
            raise
        except OSError as exc:
            raise KeyUnavailable(f"cannot write key file {self.path}: {exc.strerror}") from None

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[_KeyFile]:
        """Serialise rotate/retire across processes, on a fresh read of the file."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise KeyUnavailable(f"cannot lock key file {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with self._lock:
                self._cached = None
                yield self._state()
        finally:
            os.close(fd)  # closing releases the flock

    # provider API

    @property
    def current_kek_id(self) -> str:
        state = self._state()
        return state.kek_id(state.current)

    @property
    def known_kek_ids(self) -> list[str]:
        state = self._state()
        return [state.kek_id(v) for v in sorted(state.keys)]

    def wrap(self, data_key: DataKey | bytes) -> tuple[bytes, str]:
        state = self._state()
        kek_id = state.kek_id(state.current)
        nonce = os.urandom(NONCE_BYTES)
        wrapped = AESGCM(state.keys[state.current].reveal()).encrypt(
            nonce, _data_key_bytes(data_key), _FILE_WRAP_DOMAIN + kek_id.encode()
        )
        return nonce + wrapped, kek_id

    def unwrap(self, wrapped: bytes, kek_id: str) -> DataKey:
        state = self._state()
        match = _FILE_KEK_ID.match(kek_id)
        if not match:
            raise KeyUnavailable(
                f"the data key was wrapped by KEK {kek_id!r}, which is not held in a key "
                "file; configure the provider that holds it",
                kek_id=kek_id,
            )
        version = int(match["version"])
        if match["key_set"] != state.key_set:
            raise KeyUnavailable(
                f"the data key was wrapped by KEK {kek_id!r} but {self.path} holds key set "
                f"{state.key_set}: wrong or replaced key file; restore the right one",
                kek_id=kek_id,
            )
        if version not in state.keys:
            why = "was retired" if version in state.retired else "is not in the key file"
            raise KeyUnavailable(f"KEK {kek_id!r} {why}", kek_id=kek_id)
        if len(wrapped) != _FILE_WRAPPED_LEN:
            raise DecryptionFailed("the wrapped data key has the wrong length", kek_id=kek_id)
        try:
            raw = AESGCM(state.keys[version].reveal()).decrypt(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _FILE_WRAP_DOMAIN + kek_id.encode()
            )
        except InvalidTag:
            raise DecryptionFailed(
                f"the wrapped data key failed authentication under KEK {kek_id!r}: "
                "altered in storage, or a different key file reusing this id",
                kek_id=kek_id,
            ) from None
        return DataKey(raw)

    def rewrap(self, wrapped: bytes, kek_id: str) -> tuple[bytes, str]:
        return self.wrap(self.unwrap(wrapped, kek_id))

    def rotate(self) -> str:
        with self._exclusive() as state:
            version = max([*state.keys, *state.retired]) + 1
            new = _KeyFile(
                key_set=state.key_set,
                current=version,
                keys={**state.keys, version: SecretBytes(AESGCM.generate_key(bit_length=256))},
                retired=state.retired,
            )
            self._write(new)
        kek_id = new.kek_id(version)
        logger.warning(
            "Rotated the key-encryption key in %s: %s is now current. Rewrap all secrets, "
            "then retire the old versions, and back up the key file again.",
            self.path,
            kek_id,
        )
        return kek_id

    def retire_old_versions(self) -> list[str]:
        with self._exclusive() as state:
            old = sorted(v for v in state.keys if v != state.current)
            if not old:
                return []
            self._write(
                _KeyFile(
                    key_set=state.key_set,
                    current=state.current,
                    keys={state.current: state.keys[state.current]},
                    retired=tuple(sorted({*state.retired, *old})),
                )
            )
        retired = [state.kek_id(v) for v in old]
        logger.warning("Retired KEK versions %s in %s", ", ".join(retired), self.path)
        return retired

    def health_check(self) -> ProviderHealth:
        if not self.path.exists() and self.create_if_missing:
            return ProviderHealth(True, f"key file {self.path} will be created on first use")
        return _roundtrip_health(self, f"key file {self.path}")


def _roundtrip_health(provider: KeyEncryptionKeyProvider, label: str) -> ProviderHealth:
    probe = DataKey.generate()
    try:
        wrapped, kek_id = provider.wrap(probe)
        ok = provider.unwrap(wrapped, kek_id) == probe
    except (KeyUnavailable, DecryptionFailed) as exc:
        return ProviderHealth(False, f"{label}: {exc}")
    if not ok:
        return ProviderHealth(False, f"{label}: wrap/unwrap returned a different key")
    return ProviderHealth(True, f"{label}: current KEK {kek_id}")


# --- Vault / OpenBao transit ----------------------------------------------

_VAULT_CIPHERTEXT = re.compile(r"^vault:v(?P<version>[1-9][0-9]*):[A-Za-z0-9+/=]+$")
_VAULT_KEK_ID = re.compile(r"^vault:(?P<path>[^:]+):v(?P<version>[1-9][0-9]*)$")
_VAULT_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_VAULT_MOUNT = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")
_VAULT_KEY_PROBLEM = re.compile(r"not found|too old|disallowed|no such|no handler", re.IGNORECASE)


def _vault_reason(exc: hvac.exceptions.VaultError) -> str:
    """Vault's own error text (it never echoes plaintext), shortened."""
    errors = exc.errors or [exc.args[0] if exc.args else type(exc).__name__]
    return "; ".join(str(e).strip() for e in errors)[:200]


class VaultTransitKeyProvider:
    """KEK held in a Vault / OpenBao transit key (type aes256-gcm96).

    The data key travels to Vault base64-encoded over TLS and comes back
    wrapped as ``vault:vN:...``; rewrap and retire run inside Vault.
    """

    def __init__(
        self,
        url: str,
        token: str,
        key_name: str,
        mount_point: str = "transit",
        *,
        namespace: str | None = None,
        verify: bool | str = True,
        timeout: float = 10,
        client: hvac.Client | None = None,
    ) -> None:
        if not _VAULT_NAME.match(key_name) or not _VAULT_MOUNT.match(mount_point):
            raise ValueError("transit key name and mount point may hold only [A-Za-z0-9_.-/]")
        self.url, self.key_name, self.mount_point = url, key_name, mount_point
        self._client = client or hvac.Client(
            url=url, token=token, namespace=namespace, verify=verify, timeout=timeout
        )

    def __repr__(self) -> str:  # never the token
        return f"VaultTransitKeyProvider(url={self.url!r}, key={self._key_path!r})"

    @property
    def _key_path(self) -> str:
        return f"{self.mount_point}/{self.key_name}"

    def _kek_id(self, version: int) -> str:
        return f"vault:{self._key_path}:v{version}"

    def _call(
        self, operation: str, fn: Callable[..., Any], *, expect_data: bool = True, **kwargs: Any
    ) -> dict[str, Any]:
        """Call hvac; turn every failure into a clear, secret-free custody error."""
        where = f"Vault transit key {self._key_path} at {self.url}"
        try:
            response = fn(name=self.key_name, mount_point=self.mount_point, **kwargs)
        except requests.RequestException as exc:
            raise KeyUnavailable(f"cannot reach {where} ({type(exc).__name__})") from None
        except (hvac.exceptions.Forbidden, hvac.exceptions.Unauthorized):
            raise KeyUnavailable(
                f"{where} refused '{operation}': permission denied (check the token and its policy)"
            ) from None
        except (hvac.exceptions.VaultDown, hvac.exceptions.VaultNotInitialized):
            raise KeyUnavailable(f"{where} is sealed or down") from None
        except hvac.exceptions.InvalidRequest as exc:
            reason = _vault_reason(exc)
            # A 400 on decrypt/rewrap is a bad ciphertext unless Vault blames the key.
            if operation in {"decrypt", "rewrap"} and not _VAULT_KEY_PROBLEM.search(reason):
                raise DecryptionFailed(
                    f"{where} could not {operation} the wrapped data key: {reason}"
                ) from None
            raise KeyUnavailable(f"{where} failed '{operation}': {reason}") from None
        except hvac.exceptions.VaultError as exc:
            raise KeyUnavailable(f"{where} failed '{operation}': {_vault_reason(exc)}") from None
        if not expect_data:
            return {}
        if not isinstance(response, dict) or not isinstance(response.get("data"), dict):
            raise KeyUnavailable(f"{where} gave an unexpected answer to '{operation}'")
        return response["data"]

    def _kek_id_of(self, ciphertext: str) -> str:
        match = _VAULT_CIPHERTEXT.match(ciphertext)
        if not match:
            raise KeyUnavailable("Vault returned a ciphertext not of the form vault:vN:...")
        return self._kek_id(int(match["version"]))

    def _check_wrapped(self, wrapped: bytes, kek_id: str) -> str:
        match = _VAULT_KEK_ID.match(kek_id)
        if not match or match["path"] != self._key_path:
            raise KeyUnavailable(
                f"the data key was wrapped by KEK {kek_id!r}, not by {self._key_path}; "
                "configure the provider that holds it",
                kek_id=kek_id,
            )
        try:
            ciphertext = wrapped.decode("ascii")
        except UnicodeDecodeError:
            raise DecryptionFailed("the wrapped data key is not ASCII", kek_id=kek_id) from None
        found = _VAULT_CIPHERTEXT.match(ciphertext)
        if not found or found["version"] != match["version"]:
            # The kek_id column and the ciphertext must agree: a mismatch is tampering.
            raise DecryptionFailed(
                f"the wrapped data key is malformed or does not match its kek_id {kek_id!r}",
                kek_id=kek_id,
            )
        return ciphertext

    @property
    def current_kek_id(self) -> str:
        data = self._call("read key", self._client.secrets.transit.read_key)
        return self._kek_id(int(data["latest_version"]))

    def wrap(self, data_key: DataKey | bytes) -> tuple[bytes, str]:
        _data_key_bytes(data_key)  # validate the length before any request
        transit = self._client.secrets.transit

        def encrypt(**kwargs: Any) -> Any:
            # Encoded inside this closure so no caller frame holds the key in the clear.
            encoded = base64.b64encode(_data_key_bytes(data_key)).decode("ascii")
            return transit.encrypt_data(plaintext=encoded, **kwargs)

        data = self._call("encrypt", encrypt)
        ciphertext = str(data.get("ciphertext", ""))
        return ciphertext.encode("ascii"), self._kek_id_of(ciphertext)

    def unwrap(self, wrapped: bytes, kek_id: str) -> DataKey:
        ciphertext = self._check_wrapped(wrapped, kek_id)
        try:
            data = self._call(
                "decrypt", self._client.secrets.transit.decrypt_data, ciphertext=ciphertext
            )
        except (KeyUnavailable, DecryptionFailed) as exc:
            exc.kek_id = kek_id
            raise
        try:
            raw = base64.b64decode(str(data.get("plaintext", "")), validate=True)
        except binascii.Error:
            raise DecryptionFailed("Vault returned a malformed data key", kek_id=kek_id) from None
        return DataKey(raw)

    def rewrap(self, wrapped: bytes, kek_id: str) -> tuple[bytes, str]:
        ciphertext = self._check_wrapped(wrapped, kek_id)
        data = self._call("rewrap", self._client.secrets.transit.rewrap_data, ciphertext=ciphertext)
        new = str(data.get("ciphertext", ""))
        return new.encode("ascii"), self._kek_id_of(new)

    def rotate(self) -> str:
        self._call("rotate", self._client.secrets.transit.rotate_key, expect_data=False)
        kek_id = self.current_kek_id
        logger.warning(
            "Rotated Vault transit key %s: %s is now current. Rewrap all secrets, then retire "
            "the old versions.",
            self._key_path,
            kek_id,
        )
        return kek_id

    def retire_old_versions(self) -> list[str]:
        """Raise the key's min_decryption_version to its latest version."""
        data = self._call("read key", self._client.secrets.transit.read_key)
        latest, minimum = int(data["latest_version"]), int(data["min_decryption_version"])
        if minimum >= latest:
            return []
        self._call(
            "retire",
            self._client.secrets.transit.update_key_configuration,
            expect_data=False,
            min_decryption_version=latest,
        )
        retired = [self._kek_id(v) for v in range(minimum, latest)]
        logger.warning("Retired Vault transit versions %s", ", ".join(retired))
        return retired

    def health_check(self) -> ProviderHealth:
        return _roundtrip_health(self, f"Vault transit key {self._key_path} at {self.url}")

    @staticmethod
    def policy_hcl(key_name: str, mount_point: str = "transit", *, rotation: bool = False) -> str:
        """The least-privilege policy: the app may only encrypt, decrypt and rewrap.

        ``rotation=True`` adds what ``kanalvakt custody rotate-key`` needs
        (read the key's versions, rotate, raise min_decryption_version); give
        it to a separate, short-lived operator token.
        """
        paths = [f"{mount_point}/{op}/{key_name}" for op in ("encrypt", "decrypt", "rewrap")]
        blocks = [f'path "{p}" {{\n  capabilities = ["update"]\n}}' for p in paths]
        if rotation:
            blocks.append(f'path "{mount_point}/keys/{key_name}" {{\n  capabilities = ["read"]\n}}')
            blocks += [
                f'path "{mount_point}/keys/{key_name}/{op}" {{\n  capabilities = ["update"]\n}}'
                for op in ("rotate", "config")
            ]
        return "\n\n".join(blocks) + "\n"
