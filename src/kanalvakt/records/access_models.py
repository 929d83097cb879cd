"""Requests for public records (begäran om allmän handling, TF 2 kap., OSL).

An AccessRequest comes from the public form (anonymous allowed: TF 2 kap. 18 §) or is
registered by the registrar. Its clock starts at receipt. The handler selects archive
items (AccessRequestItem), reviews each (release / release masked / withhold with the
OSL provision), masks text snippets and image areas into MaskedCopy rows linked to the
original (never changed), and produces an AccessDelivery: a PDF, a CSV and, when
anything is withheld or masked, a decision (beslut) with appeal instructions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AccessDelivery", "AccessRequest", "AccessRequestItem", "MaskedCopy"]


class AccessRequest(models.Model):
    class Source(models.TextChoices):
        PUBLIC_FORM = "public_form", _("Public form")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Telephone")
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("By e-mail")
        PICKUP = "pickup", _("Collects it in person")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=30, unique=True, blank=True)
    description = models.TextField(_("what is requested"))
    record_refs = models.TextField(_("record addresses or numbers"), blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.PICKUP
    )
    contact_email = models.EmailField(_("e-mail for delivery"), blank=True)
    source = models.CharField(_("received through"), max_length=20, choices=Source.choices)
    received_at = models.DateTimeField(_("received"), db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default="open")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The legal hold covering the selected items (records.holds), and what it covers, so a
    # changed selection replaces it.
    legal_hold = models.ForeignKey(
        "records.LegalHold", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_item_ids = models.JSONField(default=list, blank=True)
    hold_released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("request for public records")
        verbose_name_plural = _("requests for public records")
        permissions = [("handle_accessrequest", "Can handle requests for public records")]

    def __str__(self):
        return self.reference or f"#{self.pk}"


class AccessRequestItem(models.Model):
    """One archive item the handler selected, and the confidentiality review of it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        RELEASE = "release", _("Release")
        RELEASE_MASKED = "release_masked", _("Release masked")
        WITHHOLD = "withhold", _("Withhold")

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("archive.Item", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    provision = models.CharField(_("OSL provision"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item__created_on_platform_at", "item_id"]
        verbose_name = _("requested item")
        verbose_name_plural = _("requested items")
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="records_access_item_once")
        ]

    def __str__(self):
        return f"{self.request} / {self.item_id}"

    def latest_text_copy(self):
        return self.masked_copies.filter(kind=MaskedCopy.Kind.TEXT).order_by("-pk").first()

    def latest_image_copies(self) -> dict[int, MaskedCopy]:
        """media id → its newest masked copy."""
        copies: dict[int, MaskedCopy] = {}
        for copy in self.masked_copies.filter(kind=MaskedCopy.Kind.IMAGE).order_by("pk"):
            copies[copy.media_id] = copy
        return copies


class MaskedCopy(models.Model):
    """A masked copy of an item's text or of one image; the original is never changed.
    Both hashes are recorded so the copy can be traced to exactly what it was made from."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        IMAGE = "image", _("Image")

    request_item = models.ForeignKey(
        AccessRequestItem, on_delete=models.CASCADE, related_name="masked_copies"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    media = models.ForeignKey(
        "archive.Media", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provision = models.CharField(max_length=300)
    # text: [{"field": "text", "start": 3, "end": 9}, …]; image: [[x, y, w, h], …]
    regions = models.JSONField(default=list)
    snippets_count = models.PositiveIntegerField(default=0)
    masked_title = models.TextField(blank=True)
    masked_text = models.TextField(blank=True)
    masked_author = models.CharField(max_length=500, blank=True)
    file = models.CharField(max_length=200, blank=True)  # storage name of a masked image
    original_sha256 = models.CharField(max_length=64)
    masked_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("masked copy")
        verbose_name_plural = _("masked copies")

    def __str__(self):
        return f"{self.kind} {self.request_item_id}"


class AccessDelivery(models.Model):
    """What was handed out: the PDF, the CSV and the decision, each hashed."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf_file = models.CharField(max_length=200)
    pdf_sha256 = models.CharField(max_length=64)
    csv_file = models.CharField(max_length=200)
    csv_sha256 = models.CharField(max_length=64)
    decision_file = models.CharField(max_length=200, blank=True)
    decision_sha256 = models.CharField(max_length=64, blank=True)
    released_count = models.PositiveIntegerField(default=0)
    withheld_count = models.PositiveIntegerField(default=0)
    masked_count = models.PositiveIntegerField(default=0)
    emailed_to = models.EmailField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery of public records")
        verbose_name_plural = _("deliveries of public records")

    def __str__(self):
        return f"{self.request} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def has_decision(self) -> bool:
        return bool(self.decision_file)
