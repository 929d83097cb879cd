"""The lexicon of a policy version: the shipped files with the communicator's edits on top
(ADR 0112), its compiled matcher (cached per content, so per version), the checks an edit
must pass and the difference between two versions."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kanalvakt.moderation.detectors import screen
from kanalvakt.moderation.detectors.terms import (
    AllowEntry,
    Lexicon,
    Matcher,
    TermEntry,
    allow_key,
    compiled_lexicon,
    shipped_entries,
    term_key,
)

TERMS, ALLOW = "terms", "allow"
# A form: optional "=" (capitals only), optional "*" at either end, letters, digits,
# spaces, hyphens and apostrophes in between, at least two letters.
_FORM = re.compile(r"^=?\*?[\w' -]+\*?$")
_LETTER = re.compile(r"[^\W\d_]")
MAX_FORMS_LENGTH = 1000

# Ordinary criticism must never become a reason to flag (R3.4). A form that matches one
# of these words, or an edit that makes one of these sentences flag, is refused.
CRITICISM_WORDS = (
    "dålig", "dåligt", "dåliga", "sämst", "inkompetent", "inkompetenta", "oduglig",
    "odugligt", "odugliga", "usel", "uselt", "usla", "skandal", "skandalen", "skandalös",
    "pinsamt", "pinsam", "slöseri", "misslyckande", "misslyckat", "fel", "felaktigt",
    "korruption", "kritik", "avgå", "ansvar", "skäms", "ljög", "lögn", "bedrövligt",
    "katastrof", "oacceptabelt", "dumt", "kortsiktigt", "orättvist", "politiker",
    "politikerna", "kommunen", "nämnden", "beslut", "beslutet",
)  # fmt: skip
CRITICISM_SENTENCES = (
    "Kommunen sköter detta uselt.",
    "Politikerna borde avgå, allihop. Det här är en skandal!",
    "Beslutet att stänga biblioteket är dumt och kortsiktigt.",
    "Kommunalrådet ljög i debatten, det visar protokollet.",
    "Rektorn hanterade mobbningen uselt och borde ta ansvar.",
    "Inkompetent hantering av vattenfrågan, någon måste ta ansvar.",
    "Jag tycker kommunstyrelsen fattat ett dåligt beslut och borde avgå.",
    "Det luktar korruption när samma firma vinner varje upphandling. Granska detta!",
    "Ni är inkompetenta på förvaltningen, det här är ett slöseri med skattepengar.",
    "Sex veckor?! Dålig planering igen. Skäms på er politiker.",
)


# --- a version's entries ------------------------------------------------------------


def entries_of(version) -> tuple[dict[str, TermEntry], dict[str, AllowEntry]]:
    return entries_of_overlay(version.lexicon or {})


def entries_of_overlay(overlay: dict) -> tuple[dict[str, TermEntry], dict[str, AllowEntry]]:
    """Shipped entries, edited ones replaced, added ones appended."""
    terms_shipped, allow_shipped = shipped_entries()
    terms = {e.key: e for e in terms_shipped}
    for key, row in overlay.get(TERMS, {}).items():
        terms[key] = _term(key, row)
    allow = {e.key: e for e in allow_shipped}
    for key, row in overlay.get(ALLOW, {}).items():
        allow[key] = _allow(key, row)
    return terms, allow


def _term(key: str, row: dict) -> TermEntry:
    return TermEntry(
        key,
        row["forms"],
        row["class"],
        int(row["severity"]),
        row.get("source", "kv"),
        bool(row.get("enabled", True)),
    )


def _allow(key: str, row: dict) -> AllowEntry:
    return AllowEntry(key, row["forms"], row.get("comment", ""), bool(row.get("enabled", True)))


def term_row(entry: TermEntry) -> dict:
    return {
        "forms": entry.forms,
        "class": entry.cls,
        "severity": entry.severity,
        "source": entry.source,
        "enabled": entry.enabled,
    }


def allow_row(entry: AllowEntry) -> dict:
    return {"forms": entry.forms, "comment": entry.comment, "enabled": entry.enabled}


def digest(overlay: dict) -> str:
    return hashlib.sha256(json.dumps(overlay, sort_keys=True).encode()).hexdigest()


def lexicon_from_overlay(overlay: dict) -> Lexicon | None:
    """The compiled lexicon of an overlay; None for the shipped one (no edits), so the
    default policy runs exactly the code path the evaluation measures."""
    if not overlay.get(TERMS) and not overlay.get(ALLOW):
        return None

    def build() -> Lexicon:
        terms, allow = entries_of_overlay(overlay)
        return Lexicon(list(terms.values()), list(allow.values()))

    return compiled_lexicon(digest(overlay), build)


def lexicon_for(version) -> Lexicon | None:
    """Compiled once per worker process and version content; versions are immutable."""
    return lexicon_from_overlay(version.lexicon or {})


def term_classes() -> list[str]:
    return sorted({e.cls for e in shipped_entries()[0]})


# --- edits ----------------------------------------------------------------------------


def overlay_with(version, kind: str, key: str, row: dict) -> dict:
    """A copy of the version's overlay with one entry set (added, edited or disabled)."""
    overlay = json.loads(json.dumps(version.lexicon or {}))
    overlay.setdefault(kind, {})[key] = row
    return overlay


def _check_forms(forms: str) -> list[str]:
    parts = [f.strip() for f in forms.split(",")]
    if not forms.strip() or not any(parts):
        raise ValidationError(_("Give at least one word form."))
    if len(forms) > MAX_FORMS_LENGTH:
        raise ValidationError(_("The word forms are too long."))
    for form in parts:
        if not form:
            raise ValidationError(_("Remove the empty form between two commas."))
        if not _FORM.match(form) or len(_LETTER.findall(form)) < 2:
            raise ValidationError(
                _(
                    "“%(form)s” is not a valid form: use letters (at least two), with * only "
                    "at the start or the end and = only first."
                )
                % {"form": form}
            )
    return parts


def clean_term(version, key: str | None, data: dict) -> tuple[str, dict]:
    """(key, overlay row) for a new or edited lexicon entry, or a ValidationError with a
    Swedish message; nothing is stored here."""
    terms, allow = entries_of(version)
    forms = ",".join(_check_forms(data.get("forms", "")))
    cls = data.get("class", "")
    if cls not in term_classes():
        raise ValidationError(_("Choose a class for the entry."))
    try:
        severity = int(data.get("severity", ""))
    except (TypeError, ValueError):
        severity = 0
    if severity not in (1, 2, 3):
        raise ValidationError(_("Choose a severity from 1 to 3."))
    if key is None:
        key = term_key(forms, cls)
        if key in terms:
            raise ValidationError(
                _("There is already an entry for “%(key)s”; edit that one instead.") % {"key": key}
            )
    elif key not in terms:
        raise ValidationError(_("There is no such entry."))
    enabled = bool(data.get("enabled", True))
    source = terms[key].source if key in terms else "kv"
    entry = TermEntry(key, forms, cls, severity, source, enabled)
    if enabled:
        _refuse_allow_listed(entry, allow)
        _refuse_criticism(version, entry)
    return key, term_row(entry)


def clean_allow(version, key: str | None, data: dict) -> tuple[str, dict]:
    terms, allow = entries_of(version)
    forms = ",".join(_check_forms(data.get("forms", "")))
    comment = (data.get("comment") or "").strip()[:200]
    if key is None:
        key = allow_key(forms)
        if key in allow:
            raise ValidationError(
                _("There is already an entry for “%(key)s”; edit that one instead.") % {"key": key}
            )
    elif key not in allow:
        raise ValidationError(_("There is no such entry."))
    enabled = bool(data.get("enabled", True))
    if enabled:
        exact = {f.strip().lower() for t in terms.values() if t.enabled for f in t.forms.split(",")}
        for form in forms.split(","):
            if form.strip().lower() in exact:
                raise ValidationError(
                    _(
                        "“%(form)s” is itself a lexicon term; disable the term instead of "
                        "allowing it."
                    )
                    % {"form": form}
                )
    return key, allow_row(AllowEntry(key, forms, comment, enabled))


def _refuse_allow_listed(entry: TermEntry, allow: dict[str, AllowEntry]) -> None:
    matcher = Matcher([(a.forms, "allow", 0) for a in allow.values() if a.enabled], squeezed=False)
    for raw in entry.forms.split(","):
        plain = raw.strip().lstrip("=").strip("*").lower()
        if any(start == 0 and end == len(plain) for _spec, start, end in matcher.scan(plain)):
            raise ValidationError(
                _(
                    "“%(form)s” is on the allow-list, so it would never flag; change the "
                    "allow-list first."
                )
                % {"form": raw.strip()}
            )


def _refuse_criticism(version, entry: TermEntry) -> None:
    probe = Matcher([(entry.forms, entry.cls, entry.severity)])
    for word in CRITICISM_WORDS:
        if probe.scan(word):
            raise ValidationError(
                _(
                    "“%(word)s” is ordinary criticism, which is never removed (R3.4); the "
                    "entry would flag it."
                )
                % {"word": word}
            )
    draft = lexicon_from_overlay(overlay_with(version, TERMS, entry.key, term_row(entry)))
    current = lexicon_for(version)
    for sentence in CRITICISM_SENTENCES:
        if screen(sentence, lexicon=draft) and not screen(sentence, lexicon=current):
            raise ValidationError(
                _(
                    "The entry would flag ordinary criticism, which is never removed (R3.4): "
                    "“%(text)s”"
                )
                % {"text": sentence}
            )


# --- comparing versions ---------------------------------------------------------------


def diff(old, new) -> list[dict]:
    """What changed from version ``old`` to ``new``: target, categories, lexicon entries."""
    rows = []
    if old.target_hours != new.target_hours:
        rows.append(
            {"what": "target", "key": "", "before": old.target_hours, "after": new.target_hours}
        )
    old_cats, new_cats = old.overrides.get("categories", {}), new.overrides.get("categories", {})
    for category in sorted(set(old_cats) | set(new_cats)):
        if old_cats.get(category) != new_cats.get(category):
            rows.append(
                {
                    "what": "category",
                    "key": category,
                    "before": old_cats.get(category, {}),
                    "after": new_cats.get(category, {}),
                }
            )
    if old.lexicon_hash != new.lexicon_hash:
        rows.append(
            {
                "what": "files",
                "key": "",
                "before": old.lexicon_hash[:12],
                "after": new.lexicon_hash[:12],
            }
        )
    for kind, before, after in zip((TERMS, ALLOW), entries_of(old), entries_of(new), strict=True):
        for key in sorted(set(before) | set(after)):
            a, b = before.get(key), after.get(key)
            if a != b:
                rows.append(
                    {
                        "what": kind,
                        "key": key,
                        "before": _describe(a),
                        "after": _describe(b),
                    }
                )
    return rows


def _describe(entry) -> str:
    if entry is None:
        return ""
    data = asdict(entry)
    data.pop("key")
    off = "" if data.pop("enabled") else " (" + _("disabled") + ")"
    return " · ".join(str(v) for v in data.values() if v != "") + off
