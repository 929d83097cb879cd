"""`kanalvakt serve` and `kanalvakt worker` as real processes."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from kanalvakt.core import scheduler
from kanalvakt.core.models import Heartbeat, ScheduledJob


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(var_dir) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env["KANALVAKT_VAR_DIR"] = str(var_dir)
    return env


def test_serve_starts_web_and_worker_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kanalvakt.cli", "serve", "--port", str(port), "--workers", "1"],
        env=clean_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline, body = time.monotonic() + 90, None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/intern/logga-in/") as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert body and "Logga in" in body
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output and "osby-demo-2026" in output
    assert "Kanalvakt stopped." in output
    # The worker ran its scheduler against the freshly migrated database.
    assert (tmp_path / "kanalvakt.sqlite3").exists()


def test_worker_batch_runs_due_jobs_through_the_database_queue(tmp_path):
    env = clean_env(tmp_path)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "kanalvakt.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("demo").returncode == 0
    result = run("worker", "--batch")
    assert result.returncode == 0, result.stderr
    check = run(
        "manage",
        "shell",
        "-c",
        "from kanalvakt.core.models import Heartbeat; "
        "print(Heartbeat.objects.filter(name='worker').exists())",
    )
    assert check.stdout.strip().splitlines()[-1] == "True", check.stderr


@pytest.mark.django_db
def test_scheduler_enqueues_due_jobs_once_and_skips_missed_runs():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    ScheduledJob.objects.all().delete()
    job = ScheduledJob.objects.create(
        name="beat",
        task_path="kanalvakt.core.tasks.heartbeat",
        interval_seconds=60,
        next_run_at=now - timedelta(days=3),
    )
    assert scheduler.enqueue_due(now) == ["beat"]
    assert scheduler.enqueue_due(now) == []  # claimed: not due again until the interval
    job.refresh_from_db()
    assert job.next_run_at == now + timedelta(seconds=60)
    assert Heartbeat.objects.filter(name="worker").exists()  # tests run tasks inline


@pytest.mark.django_db
def test_a_broken_job_is_recorded_and_does_not_stop_the_others():
    from django.utils import timezone

    ScheduledJob.objects.all().delete()
    ScheduledJob.objects.create(
        name="broken", task_path="kanalvakt.nowhere.task", interval_seconds=60
    )
    ScheduledJob.objects.create(
        name="beat", task_path="kanalvakt.core.tasks.heartbeat", interval_seconds=60
    )
    assert scheduler.enqueue_due(timezone.now()) == ["beat"]
    assert "ModuleNotFoundError" in ScheduledJob.objects.get(name="broken").last_error
