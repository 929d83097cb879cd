"""kanalvakt moderation evaluate FILE.jsonl [--json] | train [--with FILE.jsonl] | screen"""


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
    train = sub.add_parser(
        "train", help="Train the statistical classifier on the moderators' decisions."
    )
    train.add_argument(
        "--with", dest="extra", help="Also train on a JSONL file with 'text' and 'labels'."
    )
    train.set_defaults(handler=train_command)
    rescreen = sub.add_parser(
        "screen", help="Screen every captured third-party item that has no case yet."
    )
    rescreen.set_defaults(handler=screen_command)


def evaluate_command(args) -> int:
    from kanalvakt.moderation.evaluate import main

    return main([args.file, *(["--json"] if args.json else [])])


def train_command(args) -> int:
    import json

    from kanalvakt.moderation.training import train_from_decisions

    extra = []
    if args.extra:
        with open(args.extra, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        extra = [(row["text"], row.get("labels", [])) for row in rows]
    try:
        path, count = train_from_decisions(extra)
    except ValueError as error:
        print(f"Not trained: {error}")
        return 1
    print(f"Trained on {count} examples: {path}")
    return 0


def screen_command(args) -> int:
    from kanalvakt.archive.models import Item
    from kanalvakt.moderation.screening import screen_items

    ids = Item.objects.filter(author_is_owner=False, moderation_case__isnull=True)
    count = screen_items(list(ids.values_list("pk", flat=True)))
    print(f"{count} items flagged")
    return 0
