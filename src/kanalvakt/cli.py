"""The `kanalvakt` command. Each app may add subcommands in its `commands.py` with a
`register(subparsers)` function; handlers import Django models lazily, after setup."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

COMMAND_MODULES = [
    "kanalvakt.core.commands",
    "kanalvakt.audit.commands",
    "kanalvakt.registry.commands",
    "kanalvakt.custody.commands",
    "kanalvakt.dialog.commands",
    "kanalvakt.moderation.commands",
    "kanalvakt.compliance.commands",
    "kanalvakt.capture.commands",
    "kanalvakt.screenshots.commands",
    "kanalvakt.archive.commands",
    "kanalvakt.records.commands",
    "kanalvakt.exports.commands",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kanalvakt",
        description="Kanalvakt: a Swedish municipality's social media, run by its guideline.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.conf.dev")
    args = build_parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import OperationalError

    try:
        import django

        django.setup()
        return int(args.handler(args) or 0)
    except ImproperlyConfigured as exc:
        print(f"kanalvakt: configuration error: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"kanalvakt: database unavailable: {first_line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
