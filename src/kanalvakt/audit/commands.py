"""kanalvakt audit verify"""

import sys


def register(subparsers):
    audit = subparsers.add_parser("audit", help="The audit log.")
    sub = audit.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", required=True)
    verify = sub.add_parser(
        "verify", help="Re-hash the audit chain; exit 1 on the first bad event, naming it."
    )
    verify.set_defaults(handler=verify_command)


def verify_command(args) -> int:
    from kanalvakt.audit.verify import verify_chain

    report = verify_chain()
    if report.ok:
        print(f"audit log OK: {report.checked} events, chain intact")
        return 0
    print(f"audit log BROKEN after {report.checked} good events: {report.problem}", file=sys.stderr)
    return 1
