"""`kanalvakt export …`: e-archive packages, web archives."""

import argparse
from datetime import date


def day(value: str) -> date:
    """argparse type of the --from/--to options."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def register(subparsers):
    parser = subparsers.add_parser("export", help="e-archive packages (E-ARK/FGS), WARC/WACZ")
    sub = parser.add_subparsers(dest="export_command", metavar="SUBCOMMAND", required=True)
    # Each export format adds its subcommand below.
    from kanalvakt.exports import sip_commands

    sip_commands.register(sub)
    from kanalvakt.exports import web_archive_commands

    web_archive_commands.register(sub)
