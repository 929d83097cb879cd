"""CLI of the e-archive package and case export: `kanalvakt export sip|erms`."""

from __future__ import annotations

import sys
from pathlib import Path

from kanalvakt.exports.commands import day


def register(sub) -> None:
    sip = sub.add_parser(
        "sip", help="Write an E-ARK SIP 2.1 / FGS 2.0 package of a channel's items to OUT."
    )
    sip.add_argument("--channel", type=int, required=True, help="channel id")
    sip.add_argument("--from", dest="start", type=day, required=True, help="first day")
    sip.add_argument("--to", dest="end", type=day, required=True, help="last day (included)")
    sip.add_argument("--creator", default="", help="archival creator (default: settings)")
    sip.add_argument("--org-number", default="", help="its organisation number")
    sip.add_argument("--agreement", default="", help="submission agreement reference")
    sip.add_argument("out", type=Path, help="package folder (must not exist or be empty)")
    sip.set_defaults(handler=sip_command)
    erms = sub.add_parser(
        "erms", help="Write a registered case as FGS Ärendehantering / CITS ERMS XML to OUT."
    )
    which = erms.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", help='case number, e.g. "KS 2026/123"')
    which.add_argument("--registration", type=int, help="registration id")
    erms.add_argument("out", type=Path, help="XML file to write (must not exist)")
    erms.set_defaults(handler=erms_command)


def sip_command(args) -> int:
    from kanalvakt.exports.sip import PackageError, SipRequest, write_sip

    request = SipRequest(
        args.channel,
        args.start,
        args.end,
        args.out,
        args.creator,
        args.org_number,
        args.agreement,
    )
    try:
        figures = write_sip(request)
    except PackageError as error:
        print(f"kanalvakt: {error}", file=sys.stderr)
        return 2
    print(
        f"wrote {figures['path']}: {figures['items']} items, {figures['versions']} versions, "
        f"{figures['threads']} threads, "
        f"{figures['media']} media, {figures['screenshots']} screenshots"
    )
    if figures["fixity_failures"]:
        print(f"FIXITY: {len(figures['fixity_failures'])} versions do not match their hash")
        return 1
    return 0


def erms_command(args) -> int:
    from kanalvakt.exports.erms import ErmsError, find_registration, write_erms

    try:
        registration = find_registration(args.case, args.registration)
        write_erms(registration, args.out)
    except ErmsError as error:
        print(f"kanalvakt: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: case {registration.case_number or '(pending)'}")
    return 0
