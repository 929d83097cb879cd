"""kanalvakt dialog evaluate FILE.jsonl [--json]"""


def register(subparsers):
    dialog = subparsers.add_parser("dialog", help="Questions and response times.")
    sub = dialog.add_subparsers(dest="dialog_command", metavar="SUBCOMMAND", required=True)
    evaluate = sub.add_parser(
        "evaluate",
        help="Precision, recall and F1 of question detection "
        "on a JSONL file with 'text' and 'is_question'.",
    )
    evaluate.add_argument("file")
    evaluate.add_argument("--json", action="store_true", help="Print one JSON object.")
    evaluate.add_argument(
        "--errors", action="store_true", help="Also list misclassified items on standard error."
    )
    evaluate.set_defaults(handler=evaluate_command)


def evaluate_command(args) -> int:
    from kanalvakt.dialog.evaluate import main

    return main(
        [args.file, *(["--json"] if args.json else []), *(["--errors"] if args.errors else [])]
    )
