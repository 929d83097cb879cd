"""Start-up configuration, run as a fresh process the way an operator starts Kanalvakt."""

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

STRONG_SECRET = "k" * 20 + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"


def kanalvakt(*args, env=None, var_dir, timeout=120):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update({"KANALVAKT_VAR_DIR": str(var_dir), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "kanalvakt.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_clear_line(result, *fragments):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_malformed_database_url_stops_with_one_line(tmp_path):
    result = kanalvakt("manage", "check", var_dir=tmp_path, env={"DATABASE_URL": "mysql//nope"})
    assert_one_clear_line(result, "configuration error", "DATABASE_URL")


def test_unwritable_var_dir_stops_with_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = kanalvakt("manage", "check", var_dir=blocker / "var")
    assert_one_clear_line(result, "KANALVAKT_VAR_DIR")


def test_missing_production_secret_stops_with_one_line(tmp_path):
    result = kanalvakt(
        "manage",
        "check",
        var_dir=tmp_path,
        env={"DJANGO_SETTINGS_MODULE": "kanalvakt.conf.production"},
    )
    assert_one_clear_line(result, "SECRET_KEY must be set")


def test_unreachable_database_stops_with_one_line(tmp_path):
    result = kanalvakt(
        "demo", var_dir=tmp_path, env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    )
    assert_one_clear_line(result, "database unavailable")


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = kanalvakt(
        "manage",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        var_dir=tmp_path,
        env={
            "DJANGO_SETTINGS_MODULE": "kanalvakt.conf.production",
            "SECRET_KEY": STRONG_SECRET,
            "ALLOWED_HOSTS": "kanalvakt.osby.se",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_defaults_wal_sqlite_and_private_secret_key(tmp_path):
    result = kanalvakt("demo", var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50
    with sqlite3.connect(tmp_path / "kanalvakt.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = kanalvakt("manage", "check", var_dir=tmp_path)
    assert again.returncode == 0 and key_file.read_text().strip()  # the same key is reused


def test_help_is_english(tmp_path):
    result = kanalvakt("--help", var_dir=tmp_path)
    assert result.returncode == 0
    for command in ("serve", "worker", "demo", "audit"):
        assert command in result.stdout


def test_config_reference_lists_every_variable(tmp_path):
    from kanalvakt.conf.env import VARIABLES

    result = kanalvakt("config", var_dir=tmp_path)
    assert all(f"`{v.name}`" in result.stdout for v in VARIABLES)


def test_env_is_only_read_in_conf_env():
    """Every environment variable is read in one place (kanalvakt.conf.env)."""
    from pathlib import Path

    import kanalvakt

    root = Path(kanalvakt.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "env.py"
        and ("os.environ.get(" in p.read_text() or "os.getenv(" in p.read_text())
    ]
    assert offenders == []


@pytest.mark.django_db
def test_audit_verify_cli_names_a_tampered_event(tmp_path):
    assert kanalvakt("demo", var_dir=tmp_path).returncode == 0
    ok = kanalvakt("audit", "verify", var_dir=tmp_path)
    assert ok.returncode == 0 and "chain intact" in ok.stdout
    with sqlite3.connect(tmp_path / "kanalvakt.sqlite3") as db:
        db.execute("DROP TRIGGER audit_auditevent_no_update")
        db.execute("UPDATE audit_auditevent SET object_label = 'Förfalskad' WHERE seq = 7")
    broken = kanalvakt("audit", "verify", var_dir=tmp_path)
    assert broken.returncode == 1
    assert "audit event #7" in broken.stderr
