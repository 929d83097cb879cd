"""kanalvakt moderation evaluate FILE.jsonl [--json]"""


def register(subparsers):
    moderation = subparsers.add_parser("moderation", help="Screening of comments.")
    sub = moderation.add_subparsers(dest="moderation_command", metavar="SUBCOMMAND", required=True)
    evaluate = sub.add_parser(
        "evaluate",
        help="Per-category precision, recall, F1 and "
        "support, macro-F1 and the unlabelled flag rate on a JSONL file "
        "with 'text' and 'labels'.",
    )
    evaluate.add_argument("file")
    evaluate.add_argument("--json", action="store_true", help="Print one JSON object.")
    evaluate.set_defaults(handler=evaluate_command)


def evaluate_command(args) -> int:
    from kanalvakt.moderation.evaluate import main

    return main([args.file, *(["--json"] if args.json else [])])
