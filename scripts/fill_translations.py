"""Fill Swedish msgstr from a Python file defining SV = {msgid: text} and PLURAL = {msgid:
[singular, plural]}, clearing makemessages' fuzzy guesses for those entries.

    make messages  # extract
    uv run python scripts/fill_translations.py my_strings.py  # fill, then `make messages`
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/kanalvakt/locale/sv/LC_MESSAGES/django.po"


def main(source: str) -> int:
    table = runpy.run_path(source)
    singular, plural = table.get("SV", {}), table.get("PLURAL", {})
    po = polib.pofile(str(PO))
    filled = 0
    for entry in po:
        if entry.msgid_plural and entry.msgid in plural:
            entry.msgstr_plural = dict(enumerate(plural[entry.msgid]))
        elif not entry.msgid_plural and entry.msgid in singular:
            entry.msgstr = singular[entry.msgid]
        else:
            continue
        filled += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    po.save()
    left = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    print(f"filled {filled}; still untranslated: {len(left)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
