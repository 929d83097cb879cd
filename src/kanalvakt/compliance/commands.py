"""kanalvakt compliance [--json] [--channel ID]: exit 0 without violations, 1 with."""

import json


def register(subparsers):
    parser = subparsers.add_parser(
        "compliance",
        help="The guideline, clause by clause, per "
        "account. Exit status 1 when any check is violated.",
    )
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument("--channel", type=int, help="Only this channel (id).")
    parser.set_defaults(handler=compliance_command)
    sub = parser.add_subparsers(dest="compliance_command", metavar="SUBCOMMAND")
    report = sub.add_parser("report", help="Write the monthly report (PDF, Swedish).")
    report.add_argument("--month", required=True, help="The month, e.g. 2026-11.")
    report.add_argument("out", help="Where to write the PDF.")
    report.set_defaults(handler=report_command)


def report_command(args) -> int:
    from datetime import date
    from pathlib import Path

    from kanalvakt.compliance.report import build_report

    try:
        year, month = (int(part) for part in args.month.split("-"))
        first = date(year, month, 1)
    except ValueError:
        print(f"kanalvakt: --month must look like 2026-11, got {args.month!r}")
        return 2
    pdf, _snapshot = build_report(first)
    Path(args.out).write_bytes(pdf)
    print(f"wrote {args.out} ({len(pdf)} bytes)")
    return 0


def compliance_command(args) -> int:
    from django.utils import translation

    with translation.override("en"):  # the command line speaks English (logs, monitoring)
        return _report(args)


def _report(args) -> int:
    from kanalvakt.compliance.evaluate import as_json, channels_for_compliance, evaluate
    from kanalvakt.registry.models import Channel

    queryset = Channel.objects.all()
    if args.channel is not None:
        queryset = queryset.filter(pk=args.channel)
        if not queryset.exists():
            print(f"kanalvakt: no channel with id {args.channel}")
            return 2
    data = as_json(evaluate(channels_for_compliance(queryset)))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for channel in data["channels"]:
            print(f"{channel['name']} (id {channel['id']}, {channel['status']})")
            for check in channel["checks"]:
                if check["status"] != "not_applicable":
                    print(f"  {check['clause']:<6} {check['status']:<10} {check['detail']}")
        s = data["summary"]
        print(f"\nok: {s['ok']}, warning: {s['warning']}, violation: {s['violation']}")
    return 1 if data["summary"]["violation"] else 0
