"""The configured key-encryption-key provider (settings CUSTODY_*, from kanalvakt.conf.env).

The key file is created on first use only while no deposit exists: once secrets depend on
it, a missing file is an error to fix from the backup, never a silent new key.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from kanalvakt.custody.kek import FileKeyProvider, KeyEncryptionKeyProvider, VaultTransitKeyProvider


def provider_kind() -> str:
    return settings.CUSTODY_KEY_PROVIDER


def get_key_provider(*, allow_create: bool | None = None) -> KeyEncryptionKeyProvider:
    """A provider from the settings. `allow_create` (file only) defaults to: no deposit yet."""
    if provider_kind() == "vault":
        return VaultTransitKeyProvider(
            settings.CUSTODY_VAULT_ADDR,
            settings.CUSTODY_VAULT_TOKEN,
            settings.CUSTODY_VAULT_TRANSIT_KEY,
            settings.CUSTODY_VAULT_TRANSIT_MOUNT,
        )
    if allow_create is None:
        from kanalvakt.custody.models import Deposit

        allow_create = not Deposit.objects.sealed().exists()
    return FileKeyProvider(Path(settings.CUSTODY_KEY_FILE), create_if_missing=allow_create)


def describe_provider() -> str:
    """Where the KEK is, for status output (never the token)."""
    if provider_kind() == "vault":
        return (
            f"Vault transit key {settings.CUSTODY_VAULT_TRANSIT_MOUNT}/"
            f"{settings.CUSTODY_VAULT_TRANSIT_KEY} at {settings.CUSTODY_VAULT_ADDR}"
        )
    return f"key file {settings.CUSTODY_KEY_FILE}"


def key_file_beside_database(database: dict | None = None) -> bool:
    """True when the key file sits in the SQLite database's directory: then one copy of that
    directory (a backup, a stolen disk) holds both halves and the encryption protects nothing."""
    if provider_kind() != "file":
        return False
    database = database or settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return False
    db_dir = Path(str(database["NAME"])).resolve().parent
    return Path(settings.CUSTODY_KEY_FILE).resolve().parent == db_dir
