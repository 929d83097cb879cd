"""Retention (gallring, R7.1): retention classes, legal holds, disposal runs and tombstones.

A RetentionClass says which items may be disposed of and how long after the last activity
in their thread. A DisposalRun is one proposal: the eligible items as DisposalCandidate
rows, which an archivist approves or rejects; executing an approved run blanks each item's
content and media and leaves a Tombstone so the integrity log stays verifiable. A LegalHold
blocks disposal of the items it covers while it is in force.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.archive.models import Item
from kanalvakt.registry.models import Channel

__all__ = [
    "AuthorScope",
    "DisposalCandidate",
    "DisposalRun",
    "LegalHold",
    "LegalHoldItem",
    "RetentionClass",
    "Tombstone",
]


class AuthorScope(models.TextChoices):
    ANY = "any", _("Anyone")
    MUNICIPALITY = "municipality", _("The municipality")
    THIRD_PARTY = "third_party", _("Others (third parties)")


class RetentionClass(models.Model):
    """A rule: items of these kinds by these authors may be disposed of `period_months`
    after the last activity in their thread; no period means they are kept for ever.
    The first active class (by `order`) that matches an item decides for it; an item no
    class matches is kept."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kinds = models.JSONField(_("kinds of item"), default=list)  # ItemKind values
    author_scope = models.CharField(
        _("written by"), max_length=20, choices=AuthorScope.choices, default=AuthorScope.ANY
    )
    period_months = models.PositiveSmallIntegerField(
        _("retention period (months)"),
        null=True,
        blank=True,
        help_text=_("Months after the last activity in the thread. Empty: keep for ever."),
    )
    decision_reference = models.CharField(
        _("disposal decision (gallringsbeslut)"),
        max_length=200,
        blank=True,
        help_text=_("For example 'KS 2024/45 § 12'."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in force"), default=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("retention class")
        verbose_name_plural = _("retention classes")

    def __str__(self):
        return self.name

    @property
    def keeps_for_ever(self) -> bool:
        return self.period_months is None


class LegalHold(models.Model):
    """Items that must not be disposed of while the hold is in force, e.g. during a
    pending access request or appeal. Covers explicit items and/or every item of a
    channel created on the platform within [start, end] (an open end: until released)."""

    reason = models.TextField(_("reason"))
    reference = models.CharField(
        _("reference"), max_length=200, help_text=_("Case or request number.")
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_holds",
    )
    start = models.DateTimeField(_("from"), null=True, blank=True)
    end = models.DateTimeField(_("to"), null=True, blank=True)
    items = models.ManyToManyField(Item, through="LegalHoldItem", related_name="legal_holds")
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_by_label = models.CharField(max_length=300, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True, db_index=True)
    released_by_label = models.CharField(max_length=300, blank=True)
    release_reason = models.TextField(_("reason for release"), blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        permissions = [("release_legalhold", "Can release a legal hold")]

    def __str__(self):
        return f"{self.reference} ({self.pk})"

    @property
    def in_force(self) -> bool:
        return self.released_at is None


class LegalHoldItem(models.Model):
    hold = models.ForeignKey(LegalHold, on_delete=models.CASCADE, related_name="held_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hold", "item"], name="records_holditem_unique")
        ]

    def __str__(self):
        return f"hold {self.hold_id}: item {self.item_id}"


class DisposalRun(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting review")
        APPROVED = "approved", _("Approved, being carried out")
        REJECTED = "rejected", _("Rejected")
        DONE = "done", _("Carried out")

    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    as_of = models.DateTimeField(_("eligibility computed at"))
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_by_label = models.CharField(max_length=300, blank=True)
    candidate_count = models.PositiveIntegerField(_("items"), default=0)
    # {"channels": [[channel id, label, count], …], "classes": [[class id, name, count], …]}
    summary = models.JSONField(default=dict, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(max_length=300, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    finished_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    disposed_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("disposal run")
        verbose_name_plural = _("disposal runs")
        permissions = [("approve_disposalrun", "Can approve or reject a disposal run")]

    def __str__(self):
        return f"gallring {self.pk}"


class DisposalCandidate(models.Model):
    """One item a run proposes to dispose of, and what became of it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DISPOSED = "disposed", _("Disposed of")
        SKIPPED = "skipped", _("Kept (blocked at execution)")

    run = models.ForeignKey(DisposalRun, on_delete=models.CASCADE, related_name="candidates")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    retention_class = models.ForeignKey(RetentionClass, on_delete=models.PROTECT, related_name="+")
    last_activity_at = models.DateTimeField()
    # Database defaults: a proposal inserts candidates with INSERT … SELECT.
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, db_default=State.PENDING
    )
    skip_reason = models.CharField(max_length=40, blank=True, db_default="")
    # Stored files of the item's media still to delete after the blanking committed, one
    # name a line (resumable if the worker dies between the commit and the deletion).
    pending_files = models.TextField(blank=True, db_default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "item"], name="records_candidate_unique")
        ]
        indexes = [models.Index(fields=["run", "state", "id"])]

    def __str__(self):
        return f"run {self.run_id}: item {self.item_id} ({self.state})"


class Tombstone(models.Model):
    """What is left of a disposed item: enough to prove what was there and why it went.
    `version_hashes` are the SHA-256 the integrity log holds for each version, so the log
    can still be verified against this row though the content is gone."""

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="tombstone")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(max_length=20)
    external_id = models.CharField(max_length=700)
    kind = models.CharField(max_length=20)
    version_hashes = models.JSONField(default=dict)  # {"<version id>": sha256}
    media_hashes = models.JSONField(default=dict)  # {"<media id>": sha256}
    created_on_platform_at = models.DateTimeField()
    captured_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    disposed_at = models.DateTimeField(default=timezone.now)
    run = models.ForeignKey(DisposalRun, on_delete=models.PROTECT, related_name="tombstones")
    retention_class_name = models.CharField(max_length=200)
    decision_reference = models.CharField(max_length=200)

    class Meta:
        ordering = ["-disposed_at", "-id"]
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")

    def __str__(self):
        return f"tombstone {self.item_id}"
