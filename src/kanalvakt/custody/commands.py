"""kanalvakt custody rotate-key | status: key operations from the command line (see
docs/decisions/0103). Output names key ids and counts, never a secret."""

from __future__ import annotations

import sys


def register(subparsers):
    custody = subparsers.add_parser("custody", help="Deposited credentials and their key.")
    sub = custody.add_subparsers(dest="custody_command", metavar="SUBCOMMAND", required=True)
    rotate = sub.add_parser(
        "rotate-key",
        help="New key-encryption key; re-wrap every deposit's data key (payloads untouched); "
        "retire the old key versions.",
    )
    rotate.add_argument(
        "--keep-old",
        action="store_true",
        help="Do not retire the old key versions yet (retire them with the next rotation).",
    )
    rotate.set_defaults(handler=rotate_command)
    status = sub.add_parser("status", help="Key provider health and deposit counts.")
    status.set_defaults(handler=status_command)


def rotate_command(args) -> int:
    from kanalvakt.custody.actions import rotate_key
    from kanalvakt.custody.crypto import CustodyError
    from kanalvakt.organisation.access import SystemActor

    try:
        report = rotate_key(SystemActor("cli"), retire=not args.keep_old)
    except CustodyError as exc:
        print(f"kanalvakt: key rotation failed ({exc.code}): {exc}", file=sys.stderr)
        return 1
    print(f"new key-encryption key: {report.new_kek_id}")
    print(
        f"re-wrapped secrets (deposits, platform tokens): {report.rewrapped}; "
        f"already current: {report.unchanged}"
    )
    if report.failed:
        for row, code in report.failed:
            print(f"{row} could not be re-wrapped: {code}", file=sys.stderr)
        print(
            "old key versions kept, since some secrets still need them; fix those and "
            "run rotate-key again",
            file=sys.stderr,
        )
        return 1
    if report.retired:
        print(f"retired: {', '.join(report.retired)}")
    print("Back up the key file (or check the Vault backup) now.")
    return 0


def status_command(args) -> int:
    from django.db.models import Count

    from kanalvakt.custody.flags import flagged_channels
    from kanalvakt.custody.keys import describe_provider, get_key_provider, key_file_beside_database
    from kanalvakt.custody.models import Deposit

    sealed = Deposit.objects.sealed()
    print(f"key provider: {describe_provider()}")
    health = get_key_provider().health_check()
    print(f"key provider health: {'OK' if health.ok else 'FAILING'}: {health.detail}")
    if key_file_beside_database():
        print(
            "WARNING: the key file is in the database's directory. Back it up separately "
            "and keep it out of database backups, or set KANALVAKT_CUSTODY_KEY_FILE elsewhere."
        )
    print(f"current deposits: {sealed.count()}")
    for row in sealed.values("kek_id").annotate(n=Count("pk")).order_by("kek_id"):
        print(f"  wrapped by {row['kek_id']}: {row['n']}")
    unreadable = sealed.exclude(failure_code="").count()
    if unreadable:
        print(f"deposits that failed to open: {unreadable}")
    flagged = flagged_channels()
    print(f"live accounts needing attention (R6.2): {len(flagged)}")
    kinds: dict[str, int] = {}
    for _channel, flags in flagged:
        for flag in flags:
            kinds[flag.kind] = kinds.get(flag.kind, 0) + 1
    for kind, count in sorted(kinds.items()):
        print(f"  {kind}: {count}")
    return 0 if health.ok else 1
