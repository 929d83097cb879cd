"""Envelope encryption: roundtrip, fresh keys, fail-closed on tampering and swaps.

Every property runs against both KEK providers: the key file and a real
OpenBao transit engine (see conftest.py).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import pickle
import traceback

import pytest

from kanalvakt.custody.crypto import (
    CustodyError,
    DataKey,
    DecryptionFailed,
    KeyUnavailable,
    MalformedSecret,
    Plaintext,
    SealedSecret,
    aad_for,
    open_sealed,
    rewrap,
    seal,
)
from kanalvakt.custody.kek import FileKeyProvider, VaultTransitKeyProvider

SECRET = "hunter2-Åsa-lösenord".encode()
AAD = aad_for("channel-credential", 42, 3)


@pytest.fixture(params=["file", "vault"])
def kek(request: pytest.FixtureRequest):
    return request.getfixturevalue(f"{request.param}_kek")


def _flip(data: bytes, index: int = -1) -> bytes:
    buf = bytearray(data)
    buf[index] ^= 0x01
    return bytes(buf)


def _flip_wrapped(sealed: SealedSecret) -> bytes:
    """Alter the wrapped key; for Vault, inside its base64 body so the prefix stays valid."""
    wrapped = sealed.wrapped_data_key
    if not wrapped.startswith(b"vault:"):
        return _flip(wrapped)
    prefix, body = wrapped.rsplit(b":", 1)
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 0x01
    return prefix + b":" + base64.b64encode(bytes(raw))


@pytest.mark.req("R6.2")
def test_roundtrip_returns_the_plaintext(kek) -> None:
    sealed = seal(SECRET, AAD, kek)
    opened = open_sealed(sealed, AAD, kek)
    assert isinstance(opened, Plaintext)
    assert opened.reveal() == SECRET
    assert opened.reveal_text() == SECRET.decode()
    assert sealed.kek_id == kek.current_kek_id
    assert SECRET not in sealed.to_bytes()


def test_roundtrip_of_plaintext_wrapper_and_empty_secret(file_kek: FileKeyProvider) -> None:
    assert open_sealed(seal(Plaintext(b"x"), AAD, file_kek), AAD, file_kek) == Plaintext(b"x")
    assert open_sealed(seal(b"", AAD, file_kek), AAD, file_kek).reveal() == b""


@pytest.mark.req("R6.2")
def test_every_seal_uses_a_fresh_data_key_and_nonce(kek) -> None:
    first, second = seal(SECRET, AAD, kek), seal(SECRET, AAD, kek)
    assert first.ciphertext != second.ciphertext
    assert first.nonce != second.nonce
    assert first.wrapped_data_key != second.wrapped_data_key
    key_one = kek.unwrap(first.wrapped_data_key, first.kek_id)
    key_two = kek.unwrap(second.wrapped_data_key, second.kek_id)
    assert key_one != key_two
    assert len(key_one.reveal()) == 32


@pytest.mark.req("R6.2")
@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda s: dataclasses.replace(s, ciphertext=_flip(s.ciphertext, 0)), id="ct"),
        pytest.param(lambda s: dataclasses.replace(s, ciphertext=_flip(s.ciphertext)), id="tag"),
        pytest.param(lambda s: dataclasses.replace(s, ciphertext=s.ciphertext[:-1]), id="cut"),
        pytest.param(lambda s: dataclasses.replace(s, nonce=_flip(s.nonce)), id="nonce"),
        pytest.param(lambda s: dataclasses.replace(s, wrapped_data_key=_flip_wrapped(s)), id="wdk"),
    ],
)
def test_tampering_fails_closed(kek, tamper) -> None:
    tampered = tamper(seal(SECRET, AAD, kek))
    with pytest.raises(DecryptionFailed) as caught:
        open_sealed(tampered, AAD, kek)
    assert SECRET.decode() not in str(caught.value)


@pytest.mark.req("R6.2")
def test_wrapped_key_swapped_between_rows_fails(kek) -> None:
    """Both rows authenticate alone; crossing their data keys must not decrypt."""
    first, second = seal(SECRET, AAD, kek), seal(b"other", AAD, kek)
    crossed = dataclasses.replace(first, wrapped_data_key=second.wrapped_data_key)
    with pytest.raises(DecryptionFailed):
        open_sealed(crossed, AAD, kek)


@pytest.mark.req("R6.2")
@pytest.mark.parametrize(
    "other_aad",
    [
        pytest.param(aad_for("channel-credential", 43, 3), id="other-channel"),
        pytest.param(aad_for("channel-credential", 42, 2), id="other-version"),
        pytest.param(aad_for("platform-token", 42, 3), id="other-purpose"),
    ],
)
def test_row_swapped_to_another_channel_or_version_fails(kek, other_aad: bytes) -> None:
    sealed = seal(SECRET, AAD, kek)
    with pytest.raises(DecryptionFailed, match="another record"):
        open_sealed(sealed, other_aad, kek)


@pytest.mark.req("R6.2")
def test_a_different_key_file_is_reported_as_wrong_key(file_kek, tmp_path) -> None:
    sealed = seal(SECRET, AAD, file_kek)
    other = FileKeyProvider(tmp_path / "other.json")
    with pytest.raises(KeyUnavailable, match="wrong or replaced key file") as caught:
        open_sealed(sealed, AAD, other)
    assert caught.value.code == "key_unavailable"
    assert caught.value.kek_id == sealed.kek_id


@pytest.mark.req("R6.2")
def test_a_key_file_reusing_the_id_with_other_key_bytes_fails(file_kek, key_path, tmp_path):
    sealed = seal(SECRET, AAD, file_kek)
    doc = json.loads(key_path.read_text())
    doc["keys"]["1"] = base64.b64encode(b"\x07" * 32).decode()
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(doc))
    forged.chmod(0o600)
    with pytest.raises(DecryptionFailed, match="failed authentication"):
        open_sealed(sealed, AAD, FileKeyProvider(forged))


def test_a_provider_of_another_kind_refuses_clearly(file_kek, vault_kek) -> None:
    sealed = seal(SECRET, AAD, file_kek)
    with pytest.raises(KeyUnavailable, match="configure the provider that holds it"):
        open_sealed(sealed, AAD, vault_kek)
    with pytest.raises(KeyUnavailable, match="configure the provider that holds it"):
        open_sealed(seal(SECRET, AAD, vault_kek), AAD, file_kek)


def test_aad_is_required() -> None:
    with pytest.raises(ValueError, match="aad"):
        seal(SECRET, b"", FileKeyProvider("/nonexistent/never-used"))


# --- aad_for ----------------------------------------------------------------


def test_aad_for_is_canonical_and_unambiguous() -> None:
    assert aad_for("p", 42, 1) == aad_for("p", "42", 1)
    assert aad_for("a", "bc", 1) != aad_for("ab", "c", 1)
    assert aad_for("p", "1", 23) != aad_for("p", "12", 3)
    assert aad_for("p", 1, 2) != aad_for("p", 2, 1)


@pytest.mark.parametrize(
    ("purpose", "object_id", "version"),
    [("", 1, 1), ("p", None, 1), ("p", "", 1), ("p", 1, -1), ("p", 1, True), ("p", 1, "1")],
)
def test_aad_for_rejects_ambiguous_input(purpose, object_id, version) -> None:
    with pytest.raises(ValueError):
        aad_for(purpose, object_id, version)


# --- stored forms -----------------------------------------------------------


def test_dict_and_bytes_forms_roundtrip(file_kek) -> None:
    sealed = seal(SECRET, AAD, file_kek)
    as_json = json.dumps(sealed.to_dict())
    assert SealedSecret.from_dict(json.loads(as_json)) == sealed
    assert SealedSecret.from_bytes(sealed.to_bytes()) == sealed
    assert open_sealed(SealedSecret.from_bytes(sealed.to_bytes()), AAD, file_kek).reveal() == SECRET


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: b[:-1],
        lambda b: b + b"\x00",
        lambda b: b"XYZ" + b[3:],
        lambda b: b[:3] + b"\x02" + b[4:],
        lambda b: b[:10],
        lambda b: b"",
    ],
)
def test_malformed_bytes_fail_closed(file_kek, mangle) -> None:
    blob = seal(SECRET, AAD, file_kek).to_bytes()
    with pytest.raises(MalformedSecret):
        SealedSecret.from_bytes(mangle(blob))


@pytest.mark.parametrize(
    "change",
    [
        {"v": 2},
        {"n": "AAAA"},
        {"ct": "!!not-base64!!"},
        {"kek": 5},
        {"extra": "x"},
    ],
)
def test_malformed_dicts_fail_closed(file_kek, change) -> None:
    data = {**seal(SECRET, AAD, file_kek).to_dict(), **change}
    with pytest.raises(MalformedSecret):
        SealedSecret.from_dict(data)
    assert issubclass(MalformedSecret, DecryptionFailed)
    assert issubclass(DecryptionFailed, CustodyError)


# --- nothing secret leaks through repr, str, pickling or tracebacks --------


@pytest.mark.req("R6.2")
def test_plaintext_and_keys_are_redacted_everywhere(file_kek, key_path) -> None:
    opened = open_sealed(seal(SECRET, AAD, file_kek), AAD, file_kek)
    key = DataKey.generate()
    for holder in (opened, key):
        shown = [repr(holder), str(holder), f"{holder}", f"{holder!r}", format(holder, ">40")]
        assert all("redacted" in text for text in shown)
        assert not any(SECRET.decode() in text or repr(SECRET) in text for text in shown)
        with pytest.raises(TypeError):
            pickle.dumps(holder)
        with pytest.raises(TypeError):
            hash(holder)
    stored_key = json.loads(key_path.read_text())["keys"]["1"]
    assert stored_key not in repr(file_kek) and stored_key not in repr(file_kek._state())
    sealed = seal(SECRET, AAD, file_kek)
    assert repr(sealed) == f"SealedSecret(kek_id={sealed.kek_id!r}, format_version=1)"


def _render_library_frames(exc: BaseException) -> str:
    """Frames (with locals) of kanalvakt's code along the shown exception chain."""
    tb_exc: traceback.TracebackException | None = traceback.TracebackException.from_exception(
        exc, capture_locals=True
    )
    rendered = []
    while tb_exc is not None:
        frames = [f for f in tb_exc.stack if "/kanalvakt/" in f.filename]
        rendered += traceback.StackSummary.from_list(frames).format()
        rendered.append(str(tb_exc))
        shown_context = None if tb_exc.__suppress_context__ else tb_exc.__context__
        tb_exc = tb_exc.__cause__ or shown_context
    return "".join(rendered)


@pytest.mark.req("R6.2")
def test_tracebacks_with_locals_show_no_secret_or_key(file_kek, key_path, openbao) -> None:
    """What an error page or error tracker would render for failing calls."""
    sealed = seal(Plaintext(SECRET), AAD, file_kek)
    stored_key = json.loads(key_path.read_text())["keys"]["1"]
    down = VaultTransitKeyProvider("http://127.0.0.1:9", "s.token-xyz", "k", timeout=1)
    failures = [
        lambda: open_sealed(sealed, aad_for("channel-credential", 1, 1), file_kek),
        lambda: open_sealed(dataclasses.replace(sealed, nonce=_flip(sealed.nonce)), AAD, file_kek),
        lambda: seal(Plaintext(SECRET), AAD, down),
    ]
    for failing in failures:
        with pytest.raises(CustodyError) as caught:
            failing()
        rendered = _render_library_frames(caught.value)
        assert "open_sealed" in rendered or "wrap" in rendered
        for needle in (SECRET.decode(), repr(SECRET), stored_key, "s.token-xyz"):
            assert needle not in rendered


def test_rewrap_between_providers_keeps_the_payload(file_kek, vault_kek) -> None:
    """Migration from the key file to Vault: only the data key moves."""
    sealed = seal(SECRET, AAD, file_kek)
    moved = rewrap(sealed, file_kek, target=vault_kek)
    assert moved.kek_id == vault_kek.current_kek_id
    assert (moved.ciphertext, moved.nonce) == (sealed.ciphertext, sealed.nonce)
    assert open_sealed(moved, AAD, vault_kek).reveal() == SECRET
