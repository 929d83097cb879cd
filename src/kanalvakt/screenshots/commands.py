"""kanalvakt screenshots capture [--channel ID …] [--due] | due | remind"""

import sys


def register(subparsers):
    shots = subparsers.add_parser("screenshots", help="Screenshots of the accounts (R7.7).")
    sub = shots.add_subparsers(dest="screenshots_command", metavar="SUBCOMMAND", required=True)
    capture = sub.add_parser(
        "capture",
        help="Capture accounts now with Chromium: the given channels, or with --due every "
        "channel whose screenshot is due. Exit 0: all captured; 1: some failed.",
    )
    capture.add_argument("--channel", type=int, action="append", default=[], metavar="ID")
    capture.add_argument("--due", action="store_true", help="capture every due channel")
    capture.set_defaults(handler=capture_command)
    due = sub.add_parser("due", help="List channels whose screenshot is due soon, due or overdue.")
    due.add_argument("--all", action="store_true", help="list every channel")
    due.set_defaults(handler=due_command)
    remind = sub.add_parser("remind", help="Send the reminders that are due (as the worker does).")
    remind.set_defaults(handler=remind_command)


def capture_command(args) -> int:
    from kanalvakt.registry.models import Channel
    from kanalvakt.screenshots.browser import ScreenshotBrowser
    from kanalvakt.screenshots.capture import capture_channel, capture_due

    if not args.channel and not args.due:
        print("Give --channel ID (repeatable) or --due.", file=sys.stderr)
        return 2
    failed = 0
    with ScreenshotBrowser() as browser:
        for pk in args.channel:
            channel = Channel.objects.select_related("platform").filter(pk=pk).first()
            if channel is None:
                print(f"No channel {pk}.", file=sys.stderr)
                failed += 1
                continue
            shot = capture_channel(channel, browser=browser)
            failed += shot.status != "accepted"
            _print_shot(shot)
        if args.due:
            summary = capture_due(browser=browser)
            failed += summary.failed
            print(f"Due channels: captured {summary.captured}, failed {summary.failed}")
    return 1 if failed else 0


def _print_shot(shot) -> None:
    image = shot.image
    if image is not None:
        print(f"OK      {shot.channel} {shot.url} sha256={image.sha256} ({shot.seconds:.1f} s)")
    else:
        print(f"FAILED  {shot.channel} {shot.url}: {shot.failure_detail or shot.failure}")


def due_command(args) -> int:
    from django.utils import timezone

    from kanalvakt.screenshots.schedule import OK, duties

    now = timezone.now()
    for duty in duties():
        state = duty.state(now)
        if state == OK and not args.all:
            continue
        last = f"{duty.last_accepted_at:%Y-%m-%d}" if duty.last_accepted_at else "never"
        print(
            f"{state:<10} due {duty.due_at:%Y-%m-%d} ({duty.kind}), last accepted {last}: "
            f"{duty.channel} [{duty.channel.pk}]"
        )
    return 0


def remind_command(args) -> int:
    from kanalvakt.screenshots.reminders import send_due_reminders

    sent = send_due_reminders()
    print(", ".join(f"{kind}: {count}" for kind, count in sent.items()))
    return 0
