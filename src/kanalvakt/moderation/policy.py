"""The Osby default policy, installed when empty, and the policy version in force.

A new version is written whenever the communicator changes overrides or lexicon entries, or
the shipped lexicon files change (their hash differs), so every flag can name the rules that
produced it. The lexicon of a version is in `policy_lexicon`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from kanalvakt.moderation.detectors import REQUIREMENT_OF_CATEGORY

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"

# id: (English name, severity 1..3, default action, Swedish explanation for moderators)
OSBY_CATEGORIES = {
    "defamation_insult": (
        "Defamation, personal attacks or insults",
        2,
        "remove",
        "Förtal, personliga angrepp eller förolämpningar tas bort enligt riktlinjen.",
    ),
    "hate_harassment": (
        "Hate speech, sexism or other harassment",
        3,
        "remove",
        "Hets mot folkgrupp, sexistiska yttranden och trakasserier tas bort.",
    ),
    "violence_pornography": (
        "Illegal depictions of violence or pornography",
        3,
        "remove",
        "Olovliga våldsskildringar och pornografi tas bort.",
    ),
    "crime_incitement": (
        "Incitement to crime or other criminal acts",
        3,
        "report_to_police",
        "Uppmaningar till brott, hot och annan brottslig handling tas bort och kan anmälas.",
    ),
    "copyright": (
        "Unlawful use of copyrighted material",
        1,
        "remove",
        "Olovligt bruk av upphovsrättsligt skyddat material tas bort.",
    ),
    "profanity_obscene": (
        "Profanity or obscene words",
        1,
        "hide",
        "Svordomar och obscena ord tas bort enligt riktlinjen.",
    ),
    "commercial": (
        "Commercial messages or advertising",
        1,
        "remove",
        "Kommersiella budskap och reklam tas bort.",
    ),
    "confidential": (
        "Confidential or personal data",
        3,
        "remove_and_register",
        "Sekretessbelagda uppgifter tas bort omedelbart och diarieförs.",
    ),
}


def lexicon_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(LEXICON_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(LEXICON_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def install_default_policy(**kwargs) -> None:
    """post_migrate: the Osby categories and policy version 1 when there are none."""
    from kanalvakt.moderation.models import Category, PolicyVersion

    with transaction.atomic():
        for order, (category_id, row) in enumerate(OSBY_CATEGORIES.items()):
            name, severity, default_action, explanation = row
            Category.objects.get_or_create(
                id=category_id,
                defaults={
                    "requirement": REQUIREMENT_OF_CATEGORY[category_id],
                    "name": name,
                    "severity": severity,
                    "default_action": default_action,
                    "explanation_sv": explanation,
                    "order": order,
                },
            )
        if not PolicyVersion.objects.exists():
            PolicyVersion.objects.create(
                number=1,
                overrides={"target_hours": 4},
                lexicon_hash=lexicon_hash(),
                note="Osby kommuns riktlinje för sociala medier",
                created_by_label="system",
            )


def current_policy():
    """The newest version; a new one is written if the lexicon files changed since."""
    from kanalvakt.moderation.models import PolicyVersion

    latest = PolicyVersion.objects.order_by("-number").first()
    if latest is None:
        install_default_policy()
        latest = PolicyVersion.objects.order_by("-number").first()
    current_hash = lexicon_hash()
    if latest.lexicon_hash != current_hash:
        latest = new_version(latest.overrides, "system", note="lexicon files changed")
    return latest


def new_version(overrides: dict, by_label: str, *, note: str = "", lexicon: dict | None = None):
    """A new version; ``lexicon`` (the edits over the shipped files) is carried over from
    the latest version when not given."""
    from kanalvakt.moderation.models import PolicyVersion

    with transaction.atomic():
        last = PolicyVersion.objects.select_for_update().order_by("-number").first()
        if lexicon is None:
            lexicon = last.lexicon if last else {}
        return PolicyVersion.objects.create(
            number=(last.number + 1) if last else 1,
            overrides=overrides,
            lexicon=lexicon,
            lexicon_hash=lexicon_hash(),
            note=note,
            created_by_label=by_label,
        )
