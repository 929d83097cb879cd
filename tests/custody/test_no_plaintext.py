"""No deposited secret in the database (file bytes, every table), logs, audit payloads,
e-mails, exports or the CLI's output; a replaced deposit's sealed bytes are gone (R6.2)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from custody.conftest import planted, secret_strings
from kanalvakt.audit.models import AuditEvent
from kanalvakt.custody.actions import RevealFailed, reveal_credentials
from kanalvakt.custody.models import Deposit

pytestmark = pytest.mark.req("R6.2")
SCENARIO = Path(__file__).with_name("no_plaintext_scenario.py")


def _encodings(secret: str) -> list[bytes]:
    """The forms a secret could take on disk: UTF-8, JSON-escaped, UTF-16 (SQLite can)."""
    forms = {secret.encode(), json.dumps(secret).strip('"').encode(), secret.encode("utf-16-le")}
    return sorted(forms)


def _assert_absent(blob: bytes, secrets: list[str], where: str) -> None:
    for secret in secrets:
        for form in _encodings(secret):
            assert form not in blob, f"{secret!r} found in {where}"


def _run(args, var_dir, extra_env=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY"}
    }
    env.update(
        {
            "KANALVAKT_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "kanalvakt.conf.dev",
            "EMAIL_URL": "console",
            **(extra_env or {}),
        }
    )
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=180)


def test_database_file_logs_mail_and_exports_hold_no_secret(tmp_path):
    first, second = planted("-v1"), planted("-v2")
    secrets = secret_strings(first) + secret_strings(second)
    scenario = _run(
        [sys.executable, str(SCENARIO), json.dumps(first), json.dumps(second)], tmp_path
    )
    assert scenario.returncode == 0, scenario.stderr
    assert "SCENARIO-DONE" in scenario.stdout
    assert "REVEAL-FAILED decryption_failed" in scenario.stdout
    assert "Kontroll i testet" in scenario.stdout  # the reveal mail (console backend) went out
    assert "BACK IT UP" in scenario.stderr  # the key file's creation warning
    key_file = tmp_path / "custody.key"
    assert key_file.stat().st_mode & 0o777 == 0o600

    rotate = _run([sys.executable, "-m", "kanalvakt.cli", "custody", "rotate-key"], tmp_path)
    assert rotate.returncode == 0, rotate.stderr
    assert "re-wrapped secrets (deposits, platform tokens): 2" in rotate.stdout
    status = _run([sys.executable, "-m", "kanalvakt.cli", "custody", "status"], tmp_path)
    assert "current deposits: 2" in status.stdout and "WARNING" in status.stdout
    dump = _run(
        [sys.executable, "-m", "kanalvakt.cli", "manage", "dumpdata", "custody", "audit"], tmp_path
    )
    assert dump.returncode == 0 and '"model": "custody.deposit"' in dump.stdout

    output = "".join(p.stdout + p.stderr for p in (scenario, rotate, status, dump))
    _assert_absent(output.encode(), secrets, "process output (logs, mails, exports)")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "kanalvakt.sqlite3" for p in files)
    for path in files:
        _assert_absent(path.read_bytes(), secrets, str(path))

    # The replaced deposit's sealed bytes were overwritten, not just unlinked from the row.
    old_sealed = [
        bytes.fromhex(line.split()[1])
        for line in scenario.stdout.splitlines()
        if line.startswith("OLD-SEALED")
    ]
    assert len(old_sealed) == 2
    database = (tmp_path / "kanalvakt.sqlite3").read_bytes()
    for blob in old_sealed:
        assert blob not in database


@pytest.mark.django_db
def test_logs_sql_audit_and_mail_hold_no_secret(
    owner, channel, custodian, caplog, django_capture_on_commit_callbacks
):
    """Everything logged at DEBUG, SQL statements with their parameters included."""
    values = planted("-caplog")
    secrets = secret_strings(values)
    caplog.set_level(logging.DEBUG)
    connection.force_debug_cursor = True
    logging.getLogger("django.db.backends").setLevel(logging.DEBUG)
    try:
        client = Client()
        client.force_login(owner)
        data = {
            **{k: v for k, v in values.items() if k != "platform_admins"},
            "password_again": values["password"],
            "platform_admins": "\n".join(values["platform_admins"]),
        }
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                client.post(reverse("custody:deposit", args=[channel.pk]), data).status_code == 302
            )
            client.force_login(custodian)
            revealed = client.post(
                reverse("custody:reveal", args=[channel.pk]), {"reason": "Kontroll av loggar"}
            )
            assert values["password"] in revealed.content.decode()  # shown to the custodian
            Deposit.objects.filter(channel=channel).update(nonce=b"\0" * 12)
            with pytest.raises(RevealFailed):
                reveal_credentials(custodian, channel, reason="Kontroll av loggar")
    finally:
        connection.force_debug_cursor = False
        logging.getLogger("django.db.backends").setLevel(logging.WARNING)

    assert "INSERT INTO" in caplog.text  # SQL really was logged
    _assert_absent(caplog.text.encode(), secrets, "logs")
    audit = json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)
    assert "custody.reveal_failed" in audit
    _assert_absent(audit.encode(), secrets, "audit log")
    assert len(mail.outbox) == 1
    _assert_absent(mail.outbox[0].message().as_bytes(), secrets, "e-mail")
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                for cell in row:
                    blob = bytes(cell) if isinstance(cell, bytes | memoryview) else str(cell)
                    blob = blob if isinstance(blob, bytes) else blob.encode()
                    _assert_absent(blob, secrets, f"table {table}")
