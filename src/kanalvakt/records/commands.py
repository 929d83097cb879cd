"""`kanalvakt records …`: registration, retention and disposal, access requests."""


def register(subparsers):
    parser = subparsers.add_parser("records", help="registration, retention, access requests")
    sub = parser.add_subparsers(dest="records_command", metavar="SUBCOMMAND", required=True)
    # Each part adds its subcommands below.
    from kanalvakt.records import retention_commands

    retention_commands.register(sub)
    del sub
