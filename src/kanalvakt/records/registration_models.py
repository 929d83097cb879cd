"""Registration (diarieföring) of archived items to a case (R7.4, R7.6).

A Registration is one entry in the municipality's diary: a case number, the date the
document came in, its direction, sender and a short description, an optional
confidentiality mark, and the archived items it consists of. Moderation creates it
`pending` (confidential material removed under R7.6, waiting for a case number); the
registrar gives it a case number (`registered`) and hands it to the case-management
system. Items in any registration are kept regardless of retention.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.archive.models import Item

__all__ = ["Registration", "RegistrationItem"]


class Registration(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a case number")
        REGISTERED = "registered", _("Registered")

    class Direction(models.TextChoices):
        RECEIVED = "received", _("Received")  # inkommen
        DRAWN_UP = "drawn_up", _("Drawn up")  # upprättad

    class HandOff(models.TextChoices):
        EMAIL = "email", _("E-mail to the registrar")
        FILES = "files", _("Files downloaded")

    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING, db_index=True
    )
    case_number = models.CharField(_("case number"), max_length=40, blank=True, db_index=True)
    items = models.ManyToManyField(
        Item, through="RegistrationItem", related_name="registrations", verbose_name=_("items")
    )
    received_on = models.DateField(_("date received"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.RECEIVED
    )
    sender = models.CharField(_("sender"), max_length=300, blank=True)
    description = models.CharField(_("short description"), max_length=500, blank=True)
    # Sender and description are left out of public listings and of hand-off extracts.
    masked = models.BooleanField(_("sender and description masked"), default=False)
    osl_provision = models.CharField(
        _("confidentiality (OSL provision)"), max_length=100, blank=True
    )
    confidential_marked_at = models.DateTimeField(_("marked confidential"), null=True, blank=True)
    confidential_marked_by = models.CharField(
        _("marked confidential by"), max_length=300, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    origin = models.CharField(_("origin"), max_length=200, blank=True)  # e.g. "moderation case 12"
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    requested_by = models.CharField(_("requested by"), max_length=300, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    registered_by = models.CharField(_("registered by"), max_length=300, blank=True)
    handed_off_at = models.DateTimeField(_("handed to the registrar"), null=True, blank=True)
    handed_off_how = models.CharField(
        _("handed off how"), max_length=10, choices=HandOff.choices, blank=True
    )
    handed_off_to = models.CharField(_("handed off to"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        permissions = [("handoff_registration", "Can hand a registration to the registrar")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="pending") | ~models.Q(case_number=""),
                name="records_registered_has_case_number",
            )
        ]

    def __str__(self):
        return self.case_number or f"registrering {self.pk} (väntar)"

    @property
    def confidential(self) -> bool:
        return bool(self.osl_provision)


class RegistrationItem(models.Model):
    """One archived item of a registration. The case number is copied here so that the
    database refuses the same item twice under one case number."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="links")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="registration_links")
    case_number = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("registered item")
        verbose_name_plural = _("registered items")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "item"], name="records_registration_item_once"
            ),
            models.UniqueConstraint(
                fields=["case_number", "item"],
                condition=~models.Q(case_number=""),
                name="records_case_item_once",
            ),
        ]

    def __str__(self):
        return f"{self.case_number or '-'}: {self.item_id}"
