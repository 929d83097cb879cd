"""What changed between two versions of an activity plan, field by field."""

import difflib

from kanalvakt.registry.models import WEEKDAYS

_WEEKDAY_NAMES = dict(WEEKDAYS)


def _display(field: str, value) -> str:
    if field == "watched_weekdays":
        return ", ".join(str(_WEEKDAY_NAMES[d]) for d in value)
    if hasattr(value, "strftime"):
        return value.strftime("%H:%M")
    return "" if value is None else str(value)


def plan_diff(old, new) -> list[dict]:
    """[{field, label, old, new, words: [(op, text)]}] for each field that differs."""
    from kanalvakt.registry.rules import PLAN_FIELDS

    changes = []
    for field in PLAN_FIELDS:
        before, after = _display(field, getattr(old, field)), _display(field, getattr(new, field))
        if before == after:
            continue
        matcher = difflib.SequenceMatcher(a=before.split(), b=after.split())
        words = []
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                words.append(("same", " ".join(before.split()[a1:a2])))
            if op in ("delete", "replace"):
                words.append(("removed", " ".join(before.split()[a1:a2])))
            if op in ("insert", "replace"):
                words.append(("added", " ".join(after.split()[b1:b2])))
        label = new._meta.get_field(field).verbose_name
        changes.append(
            {"field": field, "label": label, "old": before, "new": after, "words": words}
        )
    return changes
