"""serve, worker, demo, config and manage: running the system."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time

DEMO_HINT = "Demo login: user 'klk' (central office), 'anna' (account owner), … password '{}'"


def register(subparsers):
    serve = subparsers.add_parser(
        "serve",
        help="Migrate, load demo data if empty, and serve "
        "the web UI together with the background worker.",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2, help="Web server processes.")
    serve.add_argument("--no-worker", action="store_true", help="Serve the web UI only.")
    serve.add_argument("--no-demo", action="store_true", help="Never load demo data.")
    serve.set_defaults(handler=serve_command)

    worker = subparsers.add_parser("worker", help="Run background tasks and the scheduler.")
    worker.add_argument(
        "--interval", type=float, default=1.0, help="Seconds between polls for new tasks."
    )
    worker.add_argument(
        "--batch", action="store_true", help="Run due schedules and queued tasks once, then exit."
    )
    worker.set_defaults(handler=worker_command)

    demo = subparsers.add_parser("demo", help="Load the Osby kommun demo data (idempotent).")
    demo.set_defaults(handler=demo_command)

    config = subparsers.add_parser("config", help="Print the environment variable reference.")
    config.set_defaults(handler=config_command)

    manage = subparsers.add_parser("manage", help="Run a Django management command.")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=manage_command)


def prepare_database(*, load_demo: bool) -> bool:
    """Migrate; load the demo data into an empty database. True if demo data was loaded."""
    from django.core.management import call_command

    from kanalvakt.demo import database_is_empty, load_demo_data

    call_command("migrate", interactive=False, verbosity=0)
    if load_demo and database_is_empty():
        load_demo_data()
        return True
    return False


def serve_command(args) -> int:
    from django.conf import settings

    from kanalvakt.demo import DEMO_PASSWORD

    is_production = settings.SETTINGS_MODULE.endswith("production")
    prepare_database(load_demo=not args.no_demo and not is_production)
    processes = []
    web = [
        sys.executable,
        "-m",
        "gunicorn",
        "kanalvakt.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
    ]
    processes.append(subprocess.Popen(web))  # noqa: S603 - fixed argument list
    if not args.no_worker:
        worker = [sys.executable, "-m", "kanalvakt.cli", "worker"]
        processes.append(subprocess.Popen(worker))  # noqa: S603
    print(f"\nKanalvakt runs on http://{args.host}:{args.port}/  (staff: /intern/)")
    if not is_production:
        print(DEMO_HINT.format(DEMO_PASSWORD))
    print("Press Ctrl-C to stop.\n", flush=True)
    return supervise(processes)


def supervise(processes) -> int:
    """Wait until one process ends or we are interrupted, then stop them all."""
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(p.poll() is None for p in processes):
        time.sleep(0.2)
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
    print("Kanalvakt stopped.")
    failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM)]
    return 0 if stopping or not failed else 1


def worker_command(args) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from kanalvakt.core.scheduler import SchedulerThread, enqueue_due

    backend = settings.TASKS["default"]["BACKEND"]
    if args.batch:
        enqueue_due()
        if backend.startswith("django_tasks_db"):
            call_command("db_worker", batch=True, reload=False, verbosity=1)
        return 0
    scheduler = SchedulerThread()
    scheduler.start()
    try:
        if backend.startswith("django_tasks_db"):
            call_command("db_worker", interval=args.interval, reload=False, verbosity=1)
        else:
            call_command("rqworker", "default", verbosity=1)
    except SystemExit as exc:  # db_worker exits this way on SIGINT/SIGTERM
        return int(exc.code or 0)
    finally:
        scheduler.stop()
    return 0


def demo_command(args) -> int:
    from kanalvakt.demo import DEMO_PASSWORD

    prepare_database(load_demo=False)
    from kanalvakt.demo import load_demo_data

    load_demo_data()
    print("Demo data loaded. " + DEMO_HINT.format(DEMO_PASSWORD))
    return 0


def config_command(args) -> int:
    from kanalvakt.conf.env import reference

    print(reference())
    return 0


def manage_command(args) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kanalvakt manage", *args.args])
    return 0
