"""The key provider from configuration, and the `kanalvakt custody` commands (R6.2)."""

import os
import subprocess
import sys

import pytest

from kanalvakt.custody.crypto import KeyUnavailable
from kanalvakt.custody.kek import FileKeyProvider, VaultTransitKeyProvider
from kanalvakt.custody.keys import get_key_provider, key_file_beside_database

pytestmark = pytest.mark.req("R6.2")


def kanalvakt(*args, var_dir, env=None):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY"}
        and not k.startswith(("VAULT_", "KANALVAKT_CUSTODY"))
    }
    full_env.update({"KANALVAKT_VAR_DIR": str(var_dir), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "kanalvakt.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_key_file_is_created_only_while_nothing_is_deposited(deposited, custody_key_file):
    provider = get_key_provider()
    assert isinstance(provider, FileKeyProvider) and not provider.create_if_missing
    custody_key_file.unlink()
    with pytest.raises(KeyUnavailable, match="restore it from its backup"):
        get_key_provider().current_kek_id  # noqa: B018


@pytest.mark.django_db
def test_fresh_install_may_create_the_key_file():
    assert get_key_provider().create_if_missing


def test_vault_provider_from_settings(settings):
    settings.CUSTODY_KEY_PROVIDER = "vault"
    settings.CUSTODY_VAULT_ADDR = "https://vault.osby.se:8200"
    settings.CUSTODY_VAULT_TOKEN = "s.never-printed-token"
    settings.CUSTODY_VAULT_TRANSIT_KEY = "kanalvakt"
    settings.CUSTODY_VAULT_TRANSIT_MOUNT = "transit"
    provider = get_key_provider()
    assert isinstance(provider, VaultTransitKeyProvider)
    assert "never-printed" not in repr(provider)


def test_key_file_beside_the_sqlite_database_is_noticed(settings, tmp_path):
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    settings.CUSTODY_KEY_FILE = tmp_path / "custody.key"
    assert key_file_beside_database(database)
    settings.CUSTODY_KEY_FILE = tmp_path / "elsewhere" / "custody.key"
    assert not key_file_beside_database(database)
    assert not key_file_beside_database({"ENGINE": "django.db.backends.postgresql"})


def test_bad_provider_setting_stops_with_one_line(tmp_path):
    result = kanalvakt(
        "custody", "status", var_dir=tmp_path, env={"KANALVAKT_CUSTODY_KEY_PROVIDER": "hsm"}
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "KANALVAKT_CUSTODY_KEY_PROVIDER" in result.stderr


def test_vault_without_address_stops_with_one_line(tmp_path):
    result = kanalvakt(
        "custody", "status", var_dir=tmp_path, env={"KANALVAKT_CUSTODY_KEY_PROVIDER": "vault"}
    )
    assert result.returncode == 2 and "VAULT_ADDR" in result.stderr


def test_status_against_vault_never_prints_the_token(tmp_path, openbao):
    assert kanalvakt("manage", "migrate", var_dir=tmp_path).returncode == 0
    env = {
        "KANALVAKT_CUSTODY_KEY_PROVIDER": "vault",
        "VAULT_ADDR": openbao.url,
        "VAULT_TOKEN": openbao.root_token,
        "VAULT_TRANSIT_KEY": openbao.new_key(),
    }
    status = kanalvakt("custody", "status", var_dir=tmp_path, env=env)
    assert status.returncode == 0, status.stderr
    assert "key provider health: OK" in status.stdout and "current deposits: 0" in status.stdout
    rotate = kanalvakt("custody", "rotate-key", var_dir=tmp_path, env=env)
    assert rotate.returncode == 0 and ":v2" in rotate.stdout
    for output in (status.stdout, status.stderr, rotate.stdout, rotate.stderr):
        assert openbao.root_token not in output
