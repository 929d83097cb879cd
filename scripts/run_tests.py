"""`make test`: the whole suite on SQLite, then on PostgreSQL when one is available.

PostgreSQL is used when KANALVAKT_TEST_POSTGRES holds a database URL, or when a server
answers on 127.0.0.1:5432 (then as the `postgres` user, trust auth). CI=true requires it.
Extra arguments go to pytest (`make test ARGS="-k audit"`).
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/kanalvakt"


def postgres_url() -> str | None:
    url = os.environ.get("KANALVAKT_TEST_POSTGRES")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return LOCAL_POSTGRES
    except OSError:
        return None


def run_pytest(label: str, extra_env: dict, args: list[str]) -> int:
    env = {**os.environ, **extra_env}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest.ini decides: kanalvakt.conf.test
    print(f"\n===== test suite on {label} =====", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)  # noqa: S603


def main() -> int:
    args = sys.argv[1:]
    sqlite_env = {
        "DATABASE_URL": "",
        "KANALVAKT_REQ_COVERAGE": str(ROOT / "build/requirements-coverage.json"),
    }
    results = {"SQLite": run_pytest("SQLite", sqlite_env, args)}
    url = postgres_url()
    if url:
        pg_env = {
            "DATABASE_URL": url,
            "KANALVAKT_REQ_COVERAGE": str(ROOT / "build/requirements-coverage.postgres.json"),
        }
        results["PostgreSQL"] = run_pytest("PostgreSQL", pg_env, args)
    elif os.environ.get("CI") == "true":
        print("CI requires PostgreSQL: set KANALVAKT_TEST_POSTGRES or start a local server.")
        results["PostgreSQL"] = 1
    else:
        print("\nPostgreSQL not available: suite ran on SQLite only.")
    summary = ", ".join(
        f"{db}: {'passed' if rc == 0 else f'FAILED (exit {rc})'}" for db, rc in results.items()
    )
    print(f"\n===== {summary} =====")
    return 0 if all(rc == 0 for rc in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
