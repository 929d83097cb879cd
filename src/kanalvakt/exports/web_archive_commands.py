"""`kanalvakt export warc|wacz --channel ID [--from DATE] [--to DATE] OUT`."""

from __future__ import annotations

import sys

from kanalvakt.exports.commands import day


def register(sub) -> None:
    for name, suffix in (("warc", ".warc.gz"), ("wacz", ".wacz")):
        parser = sub.add_parser(
            name, help=f"One channel's items and screenshots as a web archive ({suffix})."
        )
        parser.add_argument("--channel", type=int, required=True, help="The channel's id.")
        parser.add_argument("--from", dest="date_from", type=day, help="First day (YYYY-MM-DD).")
        parser.add_argument("--to", dest="date_to", type=day, help="Last day (YYYY-MM-DD).")
        parser.add_argument("out", help=f"The file to write (…{suffix}).")
        parser.set_defaults(handler=export_web_archive, web_archive_format=name)


def export_web_archive(args) -> int:
    from kanalvakt.exports.web_archive import WebArchiveError, write_wacz, write_warc

    write = write_warc if args.web_archive_format == "warc" else write_wacz
    try:
        summary = write(args.out, args.channel, args.date_from, args.date_to)
    except WebArchiveError as error:
        print(f"kanalvakt: {error}", file=sys.stderr)
        return 2
    print(
        f"wrote {summary.path}: {summary.items} items ({summary.versions} versions), "
        f"{summary.media} media files, {summary.screenshots} screenshot files"
    )
    if summary.missing_files:
        print(f"warning: {summary.missing_files} stored files were missing", file=sys.stderr)
    return 0
