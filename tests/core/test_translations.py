"""The Swedish catalogue is complete and its compiled .mo matches the .po."""

from pathlib import Path

import polib

import kanalvakt

LOCALE = Path(kanalvakt.__file__).parent / "locale"


def catalogue(lang):
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES/django.po"))


def test_every_swedish_message_is_translated():
    po = catalogue("sv")
    untranslated = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert untranslated == [], "run `make messages` and translate these"


def test_compiled_catalogues_match_their_sources():
    for lang in ("sv", "en"):
        po = catalogue(lang)
        mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES/django.mo"))
        compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
        for entry in po.translated_entries():
            key = (entry.msgctxt, entry.msgid)
            assert key in compiled, f"{lang}: {entry.msgid!r} not compiled: run `make messages`"
            msgstr, plural = compiled[key]
            if entry.msgid_plural:
                assert [plural[k] for k in sorted(plural)] == [
                    entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)
                ]
            else:
                assert msgstr == entry.msgstr, f"{lang}: {entry.msgid!r} is stale in the .mo"
