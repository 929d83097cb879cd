"""A real `kanalvakt import` process killed with SIGKILL mid-run loses nothing it had
committed and duplicates nothing on rerun: the archive equals a clean single run.

Runs against a scratch database of the same kind as the suite (file SQLite in a temporary
data directory, or a scratch PostgreSQL database when the suite runs on PostgreSQL)."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

N_TWEETS = 15_000
ACCOUNT = "1964312974236991488"
CHANNEL_SQL = "SELECT id FROM registry_channel ORDER BY id LIMIT 1"
TESTS = Path(__file__).resolve().parents[1]
# The channel is built by the tests' own helper (not the demo: only what this test needs).
MAKE_CHANNEL = (
    f"import sys; sys.path.insert(0, {str(TESTS)!r}); "
    "from registry.helpers import make_channel; make_channel(platform='x', handle='osbykommun')"
)


def write_archive(root: Path) -> Path:
    data = root / "data"
    data.mkdir(parents=True)
    account = [{"account": {"accountId": ACCOUNT, "username": "osbykommun"}}]
    (data / "account.js").write_text("window.YTD.account.part0 = " + json.dumps(account))
    with (data / "tweets.js").open("w", encoding="utf-8") as out:
        out.write("window.YTD.tweets.part0 = [")
        for i in range(N_TWEETS):
            tweet = {
                "id_str": str(10**18 + i),
                "full_text": f"Inlägg nummer {i} från Osby kommun om vägarbetet på Storgatan.",
                "created_at": "Fri Mar 06 13:02:05 +0000 2026",
                "lang": "sv",
            }
            if i % 3:
                tweet["in_reply_to_status_id_str"] = str(10**18 + i - 1)
            out.write(("," if i else "") + json.dumps({"tweet": tweet}))
        out.write("]")
    return root


class Database:
    """A scratch database for the subprocesses, and a way to count rows in it."""

    def __init__(self, tmp_path: Path, name: str):
        self.var_dir = tmp_path / name
        self.var_dir.mkdir()
        base = os.environ.get("DATABASE_URL", "")
        self.pg = base.startswith("postgres")
        self.url = ""
        if self.pg:
            import psycopg

            self.admin = base.rsplit("/", 1)[0] + "/postgres"
            self.dbname = f"kv_kill_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.dbname}"')
            self.url = base.rsplit("/", 1)[0] + "/" + self.dbname

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
        env["KANALVAKT_VAR_DIR"] = str(self.var_dir)
        env["DATABASE_URL"] = self.url
        return env

    def query(self, sql: str):
        if self.pg:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchall()
        import sqlite3

        with sqlite3.connect(self.var_dir / "kanalvakt.sqlite3", timeout=30) as conn:
            return conn.execute(sql).fetchall()

    def drop(self):
        if self.pg:
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    def kanalvakt(self, *args, **kwargs):
        return subprocess.Popen(
            [sys.executable, "-m", "kanalvakt.cli", *args],
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            **kwargs,
        )

    def run(self, *args) -> str:
        process = self.kanalvakt(*args)
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output
        return output

    def snapshot(self):
        return (
            self.query(
                "SELECT platform, external_id, version_count, root_external_id, "
                "parent_id IS NULL FROM archive_item ORDER BY external_id"
            ),
            self.query("SELECT COUNT(*), COUNT(DISTINCT item_id) FROM archive_itemversion"),
        )


def test_sigkill_mid_import_then_rerun_equals_a_clean_run(tmp_path):
    archive = write_archive(tmp_path / "export")
    killed, clean = Database(tmp_path, "killed"), Database(tmp_path, "clean")
    try:
        for db in (killed, clean):
            db.run("manage", "migrate", "--run-syncdb", "--no-input", "-v", "0")
            db.run("manage", "shell", "-c", MAKE_CHANNEL)
        channel = str(killed.query(CHANNEL_SQL)[0][0])
        args = (
            "import",
            "x-archive",
            str(archive),
            "--channel",
            channel,
            "--account-id",
            ACCOUNT,
            "--quiet",
        )

        process = killed.kanalvakt(*args, start_new_session=True)
        deadline = time.monotonic() + 300
        count = 0
        while time.monotonic() < deadline and process.poll() is None:
            count = killed.query("SELECT COUNT(*) FROM archive_item")[0][0]
            if count >= 2_000:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the import finished before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        after_kill = killed.query("SELECT COUNT(*) FROM archive_item")[0][0]
        assert 2_000 <= after_kill < N_TWEETS  # committed batches survived the kill

        output = killed.run(*args)
        assert f"added {N_TWEETS - after_kill}," in output, output
        clean.run(*args)
        killed_items, killed_versions = killed.snapshot()
        clean_items, clean_versions = clean.snapshot()
        assert len(killed_items) == N_TWEETS
        assert killed_items == clean_items
        assert killed_versions == clean_versions == [(N_TWEETS, N_TWEETS)]
        again = killed.run(*args)  # importing the same file again adds nothing
        assert "added 0, updated 0" in again
    finally:
        killed.drop()
        clean.drop()
