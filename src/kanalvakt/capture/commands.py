"""kanalvakt import <kind> PATH --channel ID | kanalvakt capture run|health|connect

Import prints, per batch as it goes, every skipped or unreadable object and why, then the
totals; memory stays bounded whatever the file size (the importers stream, each batch is
committed and forgotten)."""

from __future__ import annotations

import itertools
import sys

IMPORTERS = {
    "x-archive": "kanalvakt.capture.importers.x_archive",
    "mastodon-archive": "kanalvakt.capture.importers.mastodon_archive",
    "bluesky-car": "kanalvakt.capture.importers.bluesky_car",
    "meta-dyi": "kanalvakt.capture.importers.meta_dyi",
    "linkedin-csv": "kanalvakt.capture.importers.linkedin_csv",
}
PLATFORM_OF = {
    "x-archive": "x",
    "mastodon-archive": "mastodon",
    "bluesky-car": "bluesky",
    "meta-dyi": "facebook",
    "linkedin-csv": "linkedin",
}


def register(subparsers):
    imp = subparsers.add_parser("import", help="Import an export file into a channel's archive.")
    imp.add_argument("kind", choices=sorted(IMPORTERS))
    imp.add_argument("path", help="The export: a directory, .zip, .tar.gz or single file.")
    imp.add_argument("--channel", type=int, required=True, help="The channel's id.")
    imp.add_argument(
        "--account-id",
        help="The account's id on the platform (default: the channel's connection).",
    )
    imp.add_argument("--batch-size", type=int, default=500)
    imp.add_argument("--quiet", action="store_true", help="Only the totals, not every skip.")
    imp.set_defaults(handler=import_command)

    capture = subparsers.add_parser("capture", help="Capture from the platforms.")
    sub = capture.add_subparsers(dest="capture_command", metavar="SUBCOMMAND", required=True)
    run = sub.add_parser("run", help="Run due connections now (or one channel's, due or not).")
    run.add_argument("--channel", type=int)
    run.add_argument("--max-pages", type=int, help="Stop after this many pages (resumable).")
    run.set_defaults(handler=run_command)
    health = sub.add_parser("health", help="Check each connection against its platform.")
    health.add_argument("--channel", type=int)
    health.set_defaults(handler=health_command)
    connect = sub.add_parser("connect", help="Set up a channel's connection (and its token).")
    connect.add_argument("--channel", type=int, required=True)
    connect.add_argument("--connector", required=True)
    connect.add_argument("--account-id", required=True)
    connect.add_argument("--option", action="append", default=[], metavar="KEY=VALUE")
    connect.add_argument(
        "--token-stdin",
        action="store_true",
        help="Read the access token from standard input (never from the command line).",
    )
    connect.set_defaults(handler=connect_command)


def import_command(args) -> int:
    from django.utils.module_loading import import_module

    from kanalvakt.archive.ingest import IngestReport, ingest_batch
    from kanalvakt.capture.actions import record_import
    from kanalvakt.capture.models import ChannelConnection
    from kanalvakt.capture.runner import platform_handle
    from kanalvakt.capture.types import ChannelIdentity
    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.registry.models import Channel

    channel = Channel.objects.filter(pk=args.channel).first()
    if channel is None:
        print(f"kanalvakt: no channel {args.channel}", file=sys.stderr)
        return 2
    connection = ChannelConnection.objects.filter(channel=channel).first()
    account_id = args.account_id or (connection.account_id if connection else None)
    if not account_id:
        print("kanalvakt: give --account-id (the channel has no connection)", file=sys.stderr)
        return 2
    platform = PLATFORM_OF[args.kind]
    identity = ChannelIdentity(platform, account_id, platform_handle(platform, channel.handle))
    stream = import_module(IMPORTERS[args.kind]).iter_import(args.path, identity)
    total = IngestReport()
    source = f"import:{args.kind}"[:20]
    while batch := list(itertools.islice(stream, args.batch_size)):
        report = ingest_batch(channel, batch, source=source)
        if not args.quiet:
            for external_id, reason in report.skipped:
                print(f"skipped {external_id or '?'}: {reason}")
            for external_id, reason in report.error_reasons:
                print(f"error   {external_id or '?'}: {reason}")
        report.skipped.clear()
        report.error_reasons.clear()
        total.merge(report)
    counts = total.as_dict()
    record_import(SystemActor("cli"), channel, kind=args.kind, path=str(args.path), counts=counts)
    print(
        "added {added}, updated {updated}, unchanged {unchanged}, skipped {skipped}, "
        "errors {errors}".format(**counts)
    )
    for reason, count in total.skip_reasons.most_common():
        print(f"  skipped {count}: {reason}")
    return 0


def run_command(args) -> int:
    from kanalvakt.capture.models import ChannelConnection
    from kanalvakt.capture.runner import claim_due, refresh_order, run_connection

    if args.channel:
        connections = list(
            ChannelConnection.objects.filter(channel_id=args.channel).select_related(
                "channel__platform"
            )
        )
        if not connections:
            print(f"kanalvakt: channel {args.channel} has no connection", file=sys.stderr)
            return 2
    else:
        connections = refresh_order(claim_due())
    failed = 0
    for connection in connections:
        summary = run_connection(connection, max_pages=args.max_pages)
        counts = summary.report.as_dict()
        print(
            f"{connection.channel}: {summary.outcome}, {summary.pages} pages, "
            f"added {counts['added']}, updated {counts['updated']}, "
            f"errors {counts['errors']}, marked deleted {summary.marked_deleted}"
            + (f" ({summary.detail})" if summary.detail else "")
        )
        failed += summary.outcome in {"broken", "failed"}
    return 1 if failed else 0


def health_command(args) -> int:
    from kanalvakt.capture.connectors.base import FetchContext, get_connector
    from kanalvakt.capture.connectors.http import PlatformError, PlatformHTTP
    from kanalvakt.capture.models import ChannelConnection
    from kanalvakt.capture.runner import identity_for
    from kanalvakt.capture.tokens import open_token
    from kanalvakt.custody.crypto import CustodyError

    connections = ChannelConnection.objects.select_related("channel__platform")
    if args.channel:
        connections = connections.filter(channel_id=args.channel)
    bad = 0
    http = PlatformHTTP(max_attempts=2)
    for connection in connections:
        connector = get_connector(connection.connector)
        try:
            token = open_token(connection) if connection.has_token else None
            ctx = FetchContext(
                identity_for(connection, connector.platform), token, connection.options, None, http
            )
            health = connector.health(ctx)
            line = f"{'ok  ' if health.ok else 'FAIL'} {connection.channel}: {health.detail}"
            bad += not health.ok
        except (PlatformError, CustodyError, ValueError) as exc:
            line, bad = f"FAIL {connection.channel}: {exc}", bad + 1
        print(f"{line} [{connection.state}]")
    http.close()
    return 1 if bad else 0


def connect_command(args) -> int:
    from kanalvakt.capture.actions import configure_connection, deposit_token
    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.registry.models import Channel

    channel = Channel.objects.get(pk=args.channel)
    options = dict(o.split("=", 1) for o in args.option)
    actor = SystemActor("cli")
    connection = configure_connection(
        actor, channel, connector=args.connector, account_id=args.account_id, options=options
    )
    if args.token_stdin:
        token = sys.stdin.readline().strip()
        if not token:
            print("kanalvakt: no token on standard input", file=sys.stderr)
            return 2
        deposit_token(actor, channel, token=token)
    print(f"connection {connection.pk}: {channel} via {args.connector} ({args.account_id})")
    return 0
