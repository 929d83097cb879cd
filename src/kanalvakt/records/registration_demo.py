"""Registration demo: one comment registered to a case, so the registrar's list shows a
registered entry. No pending registration (it would change the demo's compliance mix)."""

from kanalvakt.archive.models import Item
from kanalvakt.records.registration import register
from kanalvakt.records.registration_models import Registration


def load(actor) -> None:
    if Registration.objects.exists():
        return
    comment = (
        Item.objects.filter(kind="comment", author_is_owner=False, moderation_case__isnull=True)
        .exclude(text="")
        .order_by("pk")
        .first()
    )
    if comment is None:
        return
    register(
        actor,
        items=[comment],
        case_number="KS 2026/112",
        sender=comment.author_display_name,
        description=f"Synpunkt från {comment.channel} som hör till ärendet",
    )
