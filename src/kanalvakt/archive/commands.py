"""kanalvakt archive append|sign|verify|export-log|verify-export|verify-proof

``verify`` exits 1 and names each record, log entry or tree head that does not match;
``verify-export DIR`` does the same offline, with only the export's files and public key.
"""

from __future__ import annotations

import sys


def register(subparsers):
    archive = subparsers.add_parser("archive", help="The archive's integrity log.")
    sub = archive.add_subparsers(dest="archive_command", metavar="SUBCOMMAND", required=True)
    append = sub.add_parser("append", help="Log every archived record not yet logged.")
    append.set_defaults(handler=append_command)
    sign = sub.add_parser("sign", help="Append pending records and sign the tree head now.")
    sign.set_defaults(handler=sign_command)
    verify = sub.add_parser("verify", help="Check every record against the log and heads.")
    verify.add_argument(
        "--no-content", action="store_true", help="Skip re-hashing texts and media files."
    )
    verify.add_argument("--max-problems", type=int, default=100)
    verify.set_defaults(handler=verify_command)
    export = sub.add_parser("export-log", help="Write the log, records and heads to DIR.")
    export.add_argument("directory")
    export.add_argument(
        "--no-content", action="store_true", help="Leave out texts and media files."
    )
    export.set_defaults(handler=export_command)
    check = sub.add_parser(
        "verify-export", help="Check an exported log, or an e-archive package, offline."
    )
    check.add_argument("directory")
    check.add_argument("--max-problems", type=int, default=100)
    check.set_defaults(handler=verify_export_command)
    proof = sub.add_parser(
        "verify-proof", help="Check one item's downloaded inclusion proof (JSON) offline."
    )
    proof.add_argument("file")
    proof.add_argument("--public-key", required=True, help="PEM file of the log's signing key.")
    proof.set_defaults(handler=verify_proof_command)


def append_command(args) -> int:
    from kanalvakt.archive.integrity import append_pending

    print(f"appended {append_pending()} records to the log")
    return 0


def sign_command(args) -> int:
    from kanalvakt.archive.integrity import append_pending, sign_current_head

    appended = append_pending()
    row = sign_current_head()
    if row is None:
        print(f"appended {appended}; the newest signed tree head already covers the log")
    else:
        print(f"appended {appended}; signed tree head of size {row.size}")
    return 0


def print_report(report, out=None) -> int:
    out = out or sys.stdout  # looked up now: tests and callers may replace it
    for problem in report.problems:
        print(f"PROBLEM [{problem.code}] {problem.message}", file=out)
    if report.problem_count > len(report.problems):
        print(f"... and {report.problem_count - len(report.problems)} more problems", file=out)
    print(
        f"log size {report.log_size}, records checked {report.records_checked}, contents "
        f"checked {report.contents_checked}, tree heads checked {report.heads_checked}, "
        f"covered by a signed head {report.signed_size}",
        file=out,
    )
    print("OK" if report.ok else f"FAILED: {report.problem_count} problems", file=out)
    return 0 if report.ok else 1


def verify_command(args) -> int:
    from kanalvakt.archive.integrity import verify_database

    report = verify_database(check_content=not args.no_content, max_problems=args.max_problems)
    return print_report(report)


def export_command(args) -> int:
    from kanalvakt.archive.integrity_export import write_export

    count = write_export(args.directory, include_content=not args.no_content)
    print(f"exported {count} log entries to {args.directory}")
    return 0


def verify_export_command(args) -> int:
    from kanalvakt.archive.integrity_export import ExportError, verify_export
    from kanalvakt.exports.sip_integrity import is_package, verify_package

    # An e-archive package carries its integrity export inside; check the files too.
    check = verify_package if is_package(args.directory) else verify_export
    try:
        report = check(args.directory, max_problems=args.max_problems)
    except ExportError as error:
        print(f"kanalvakt: {error}", file=sys.stderr)
        return 2
    return print_report(report)


def verify_proof_command(args) -> int:
    import json

    from kanalvakt.archive.proof import check_proof
    from kanalvakt.archive.tree_head import TreeHeadError, load_public_key

    try:
        with open(args.public_key, "rb") as handle:
            key = load_public_key(handle.read())
        with open(args.file, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError, TreeHeadError) as error:
        print(f"kanalvakt: {error}", file=sys.stderr)
        return 2
    result = check_proof(document, key)
    for problem in result.problems:
        print(f"PROBLEM {problem}")
    for record in result.records:
        if record.ok:
            print(f"verified {record.kind} {record.record_id} at log index {record.index}")
    print("OK" if result.ok else "FAILED")
    return 0 if result.ok else 1
