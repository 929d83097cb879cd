"""`kanalvakt records disposal propose|execute RUN|status`: retention from the command line
(the same actions as the pages; the CLI acts as system:cli)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    disposal = sub.add_parser("disposal", help="Retention and disposal (R7.1).")
    commands = disposal.add_subparsers(dest="disposal_command", metavar="ACTION", required=True)
    commands.add_parser("propose", help="Propose a disposal run now.").set_defaults(
        handler=propose_command
    )
    execute = commands.add_parser("execute", help="Carry out (or resume) an approved run.")
    execute.add_argument("run", type=int)
    execute.set_defaults(handler=execute_command)
    commands.add_parser("status", help="List the disposal runs.").set_defaults(
        handler=status_command
    )


def propose_command(args) -> int:
    from django.core.exceptions import ValidationError

    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.records.retention import propose_run

    try:
        run = propose_run(SystemActor("cli"))
    except ValidationError:
        print("error: a disposal run is already open (awaiting review or being carried out)",
              file=sys.stderr)  # fmt: skip
        return 1
    print(f"proposed run {run.pk}: {run.candidate_count} items await an archivist's review")
    return 0


def execute_command(args) -> int:
    from kanalvakt.records.disposal import execute
    from kanalvakt.records.retention_models import DisposalRun

    try:
        run = execute(args.run)
    except DisposalRun.DoesNotExist:
        print(f"error: no disposal run {args.run}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"run {run.pk}: {run.disposed_count} disposed of, {run.skipped_count} kept")
    return 0


def status_command(args) -> int:
    from kanalvakt.records.retention_models import DisposalRun

    for run in DisposalRun.objects.order_by("-proposed_at")[:20]:
        print(f"{run.pk}\t{run.state}\t{run.proposed_at:%Y-%m-%d}\t{run.candidate_count} items"
              f"\t{run.disposed_count} disposed")  # fmt: skip
    return 0
