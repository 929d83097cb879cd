"""Moderation data: the policy (categories and versioned overrides), the flags the
detectors raised on captured items, one case per flagged item with its decision, the
platform actions that carry a decision out (after preserving, R4.3) and the moderators'
decisions kept as training examples for the statistical classifier. Confidential material
removed under R7.6 is registered through kanalvakt.records.registration."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.archive.models import Item

# Osby: "snarast möjligt". We read it as four hours of the channel's watched time from
# capture (its activity plan's watch, core.clock); the communicator changes it per policy
# version (overrides["target_hours"]).
DEFAULT_TARGET_HOURS = 4


class Decision(models.TextChoices):
    KEEP = "keep", _("Keep (not a violation)")
    KEEP_AND_FORWARD = "keep_and_forward", _("Keep and forward to the responsible person")
    HIDE = "hide", _("Hide on the platform")
    REMOVE = "remove", _("Remove from the platform")
    REMOVE_AND_REGISTER = "remove_and_register", _("Remove and register (confidential)")
    REPORT_TO_POLICE = "report_to_police", _("Remove and report to the police")


# Decisions that change the item on the platform, and how.
PLATFORM_OPERATION = {
    Decision.HIDE: "hide",
    Decision.REMOVE: "delete",
    Decision.REMOVE_AND_REGISTER: "delete",
    Decision.REPORT_TO_POLICE: "delete",
}


class Category(models.Model):
    """One removal ground of the guideline (R4.2a-g) or confidential data (R7.6)."""

    id = models.CharField(primary_key=True, max_length=40)
    requirement = models.CharField(_("clause"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    severity = models.PositiveSmallIntegerField(_("severity"), default=2)
    default_action = models.CharField(_("default action"), max_length=30, choices=Decision.choices)
    explanation_sv = models.TextField(_("explanation (Swedish)"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("moderation category")
        verbose_name_plural = _("moderation categories")

    def __str__(self):
        return self.name


class PolicyVersion(models.Model):
    """The policy in force from `created_at`: category overrides, the decision target, the
    hash of the shipped lexicon files and the communicator's lexicon edits on top of them
    (ADR 0112), so every flag says which rules produced it. Immutable once written."""

    number = models.PositiveIntegerField(unique=True)
    overrides = models.JSONField(default=dict, blank=True)
    lexicon_hash = models.CharField(max_length=64)
    # Edited, added and disabled entries over the shipped files, whole for this version:
    # {"terms": {key: {forms, class, severity, enabled}}, "allow": {key: {forms, comment,
    # enabled}}}. Empty = the shipped lexicon.
    lexicon = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")

    def __str__(self):
        return f"v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A policy version is immutable; write a new version.")
        super().save(*args, **kwargs)

    @property
    def target_hours(self) -> float:
        return float(self.overrides.get("target_hours", DEFAULT_TARGET_HOURS))

    def category_override(self, category_id: str) -> dict:
        return self.overrides.get("categories", {}).get(category_id, {})


class ModerationCase(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Awaiting decision")
        DECIDED = "decided", _("Decided")

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="moderation_case")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    priority = models.PositiveSmallIntegerField(_("severity"), default=1)
    captured_at = models.DateTimeField(_("captured"))
    opened_at = models.DateTimeField(default=timezone.now)
    target_hours = models.FloatField(default=DEFAULT_TARGET_HOURS)
    # Capture + target_hours of the channel's watched time (core.clock), set on opening.
    due_at = models.DateTimeField(_("decide by"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=30, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_label = models.CharField(max_length=300, blank=True)
    watched_seconds_to_decision = models.FloatField(null=True, blank=True)
    # What the archive held when the decision was taken: version ids and SHA-256 of the
    # item and its thread (R4.3: proof it was preserved before the platform was touched).
    preservation = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-priority", "captured_at"]
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        indexes = [models.Index(fields=["state", "-priority", "captured_at"])]

    def __str__(self):
        return f"case {self.pk} ({self.item})"

    def answerable_person_ids(self) -> set[int]:
        return self.item.channel.answerable_person_ids()

    @property
    def wall_clock_deadline(self):
        return self.captured_at + timedelta(hours=self.target_hours)

    @property
    def deadline(self):
        """The target counted in the channel's watched hours; wall-clock for old rows."""
        return self.due_at or self.wall_clock_deadline

    @property
    def time_to_decision(self) -> timedelta | None:
        """Wall-clock time from capture to decision."""
        return self.decided_at - self.captured_at if self.decided_at else None

    @property
    def watched_time_to_decision(self) -> timedelta | None:
        """Watched time from capture to decision (the time the target counts)."""
        if self.watched_seconds_to_decision is None:
            return None
        return timedelta(seconds=self.watched_seconds_to_decision)

    @property
    def watched_hours_to_decision(self) -> float | None:
        seconds = self.watched_seconds_to_decision
        return None if seconds is None else round(seconds / 3600, 1)

    def is_overdue(self, now=None) -> bool:
        end = self.decided_at or now or timezone.now()
        return end > self.deadline


class ModerationFlag(models.Model):
    case = models.ForeignKey(ModerationCase, on_delete=models.CASCADE, related_name="flags")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="moderation_flags")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    spans = models.JSONField(default=list)  # [[start, end], …] into item.display_text
    rule = models.CharField(max_length=200)
    explanation = models.TextField()
    severity = models.PositiveSmallIntegerField()
    statistical = models.BooleanField(default=False)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-severity", "category__order"]
        verbose_name = _("moderation flag")
        verbose_name_plural = _("moderation flags")

    def __str__(self):
        return f"{self.category_id} on {self.item_id}"


class PlatformAction(models.Model):
    """Hiding or deleting one item on its platform, after preserving; retried on failure.
    Where the platform has no API for it, a manual task for the owner (state MANUAL) that
    stays open until someone confirms it was done."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed, will retry")
        GAVE_UP = "gave_up", _("Failed, needs a person")
        MANUAL = "manual", _("To do by hand")
        CONFIRMED = "confirmed", _("Done by hand (confirmed)")

    case = models.ForeignKey(ModerationCase, on_delete=models.PROTECT, related_name="actions")
    operation = models.CharField(max_length=10)  # hide | delete
    platform = models.CharField(max_length=20)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    screenshot_status = models.CharField(max_length=200, blank=True)
    steps = models.JSONField(default=list, blank=True)  # the order things happened in
    requested_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("platform action")
        verbose_name_plural = _("platform actions")

    def __str__(self):
        return f"{self.operation} {self.case.item}"

    def answerable_person_ids(self) -> set[int]:
        return self.case.answerable_person_ids()


class TrainingExample(models.Model):
    """A moderator's decision as a labelled text for `kanalvakt moderation train`."""

    text = models.TextField()
    labels = models.JSONField(default=list)  # [] = the flags were wrong (a false positive)
    case = models.ForeignKey(ModerationCase, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("training example")
        verbose_name_plural = _("training examples")

    def __str__(self):
        return f"{self.labels or ['ok']}: {self.text[:40]}"
