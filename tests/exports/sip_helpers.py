"""Fixtures of the SIP tests (not a conftest: the web-archive tests share this folder)."""

import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from kanalvakt.archive import integrity
from kanalvakt.demo import load_demo_data
from kanalvakt.exports.sip import SipRequest, write_sip
from kanalvakt.registry.models import Channel

ROOT = Path(__file__).resolve().parents[2]
EARK_VERSION = "1.1.3"
EARK_VENV = Path(os.environ.get("KANALVAKT_EARK_VENV", ROOT / "build" / "eark-venv"))
EARK_WRAPPER = Path(__file__).parent / "eark_validate.py"


@pytest.fixture
def isolated_files(settings, tmp_path):
    settings.ARCHIVE_SIGNING_KEY_FILE = tmp_path / "keys" / "archive-signing.pem"
    settings.ARCHIVE_TSA_URL = ""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def demo_channel(db, isolated_files):
    load_demo_data()
    integrity.append_pending()
    integrity.sign_current_head()
    return Channel.objects.get(platform__key="facebook", handle_key="osbykommun")


@pytest.fixture
def demo_period():
    today = timezone.localdate()
    return today - timedelta(days=30), today


@pytest.fixture
def package(demo_channel, demo_period, tmp_path):
    out = tmp_path / "package"
    figures = write_sip(SipRequest(demo_channel.pk, *demo_period, out))
    assert figures["items"] > 0 and figures["threads"] > 0
    return out


def eark_python() -> Path:
    """eark-validator in its own venv (it pins lxml 5.1.0), created on first use."""
    python = EARK_VENV / "bin" / "python"
    marker = EARK_VENV / f".eark-validator-{EARK_VERSION}"
    if not marker.exists():
        try:
            subprocess.run(["uv", "venv", "-q", "--allow-existing", str(EARK_VENV)], check=True)
            subprocess.run(
                ["uv", "pip", "install", "-q", "--python", str(python),
                 f"eark-validator=={EARK_VERSION}"],
                check=True, timeout=600,
            )  # fmt: skip
        except (OSError, subprocess.SubprocessError) as error:
            pytest.skip(f"eark-validator {EARK_VERSION} cannot be installed: {error}")
        marker.touch()
    return python
