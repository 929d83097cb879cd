"""kanalvakt registry check-links"""

import sys

EXIT_ALL_LINKED, EXIT_UNLINKED, EXIT_INCONCLUSIVE = 0, 1, 2


def register(subparsers):
    registry = subparsers.add_parser("registry", help="The channel registry.")
    sub = registry.add_subparsers(dest="registry_command", metavar="SUBCOMMAND", required=True)
    check = sub.add_parser(
        "check-links",
        help="Check that every active channel is linked from the municipality's website "
        "pages (R6.1). Exit 0: all linked; 1: some active channel is not linked; "
        "2: no website page configured or none could be read.",
    )
    check.set_defaults(handler=check_links_command)


def check_links_command(args) -> int:
    from kanalvakt.organisation.access import SystemActor
    from kanalvakt.registry.linkcheck import check_website_links

    report = check_website_links(SystemActor("worker"))
    if not report.pages:
        print(
            "No website pages are configured: add the pages that should link to the "
            "accounts (Website pages in the registry).",
            file=sys.stderr,
        )
        return EXIT_INCONCLUSIVE
    print(f"Website pages checked: {len(report.pages)}")
    for page in report.pages:
        if page.error:
            print(f"  FAILED  {page.url}: {page.error}")
        else:
            note = f" ({page.note})" if page.note else ""
            print(f"  read    {page.url}: {len(page.keys)} distinct links{note}")
    if not report.conclusive:
        print("No page could be read, so nothing is said about the channels.", file=sys.stderr)
        return EXIT_INCONCLUSIVE
    for channel in report.linked_but_not_listed:
        print(
            f"LINKED BUT {channel.status.upper()}: {channel} {channel.url}"
            " (the website still points at an account that is not active)"
        )
    for channel in report.unlinked:
        print(f"NOT LINKED: {channel} {channel.url} ({channel.org_unit.name})")
    linked = len(report.checked) - len(report.unlinked)
    print(
        f"Active channels: {len(report.checked)}, linked from the website: {linked}, "
        f"not linked: {len(report.unlinked)}"
    )
    return EXIT_UNLINKED if report.unlinked else EXIT_ALL_LINKED
