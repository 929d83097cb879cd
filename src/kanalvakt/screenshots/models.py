"""Screenshots of the accounts (R7.7) and evidence screenshots of single items.

A Screenshot is an immutable record of one attempt: what was asked for (URL, reason, time),
how (viewport, user agent) and what came of it (files with SHA-256, or why it failed).
Only its review (pending → accepted / rejected) changes afterwards. Files are stored
content-addressed (kanalvakt.screenshots.storage) and never change or go away with it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.registry.models import Channel

# Fields that may change after creation: the review of an uploaded screenshot.
REVIEW_FIELDS = {"status", "reviewed_by", "reviewed_by_label", "reviewed_at", "review_note"}


class Screenshot(models.Model):
    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Every six months")
        FIRST = "first", _("First screenshot")
        CHANGE = "change", _("After a major change")
        MANUAL = "manual", _("Taken on request")
        EVIDENCE = "evidence", _("Evidence before removal")

    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("Captured by Kanalvakt")
        UPLOAD = "upload", _("Uploaded by a person")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PENDING = "pending", _("Waiting for acceptance")
        FAILED = "failed", _("Failed")
        REJECTED = "rejected", _("Rejected")

    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="screenshots",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    reason = models.CharField(_("reason"), max_length=500)
    url = models.URLField(_("address"), max_length=1000)
    final_url = models.URLField(_("address after redirects"), max_length=1000, blank=True)
    item_ref = models.CharField(_("item"), max_length=300, blank=True, db_index=True)
    taken_at = models.DateTimeField(_("taken"), default=timezone.now, db_index=True)
    viewport_width = models.PositiveIntegerField(null=True, blank=True)
    viewport_height = models.PositiveIntegerField(null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    truncated = models.BooleanField(_("cut at the height limit"), default=False)
    failure = models.CharField(_("failure"), max_length=30, blank=True)
    failure_detail = models.CharField(_("failure detail"), max_length=500, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_by_label = models.CharField(_("taken by"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by_label = models.CharField(_("reviewed by"), max_length=300, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")
        permissions = [("accept_screenshot", _("Can accept or reject uploaded screenshots"))]
        indexes = [models.Index(fields=["channel", "status", "taken_at"])]

    def __str__(self):
        where = self.channel.display_name if self.channel_id else self.url
        return f"{where} {self.taken_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk:
            stored = type(self).objects.filter(pk=self.pk).values().first() or {}
            changed = {name for name, value in stored.items() if getattr(self, name) != value}
            if changed - REVIEW_FIELDS - {"reviewed_by_id"}:
                raise ValidationError("A screenshot record is evidence and does not change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Screenshots are evidence and are not deleted.")

    def answerable_person_ids(self) -> set[int]:
        return self.channel.answerable_person_ids() if self.channel_id else set()

    @property
    def fulfils_duty(self) -> bool:
        return self.status == self.Status.ACCEPTED and self.kind != self.Kind.EVIDENCE

    def file(self, role: str):
        return next((f for f in self.files.all() if f.role == role), None)

    @property
    def image(self):
        return self.file(ScreenshotFile.Role.IMAGE)

    @property
    def pdf(self):
        return self.file(ScreenshotFile.Role.PDF)


class ScreenshotFile(models.Model):
    """One stored file of a screenshot, by its SHA-256 (the integrity log's anchor)."""

    class Role(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF")

    screenshot = models.ForeignKey(Screenshot, on_delete=models.PROTECT, related_name="files")
    role = models.CharField(max_length=10, choices=Role.choices)
    content_type = models.CharField(max_length=100)
    name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    stored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["screenshot", "role"]
        constraints = [
            models.UniqueConstraint(fields=["screenshot", "role"], name="screenshot_file_role"),
        ]

    def __str__(self):
        return f"{self.role} {self.sha256[:12]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A stored screenshot file does not change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Stored screenshot files are evidence and are not deleted.")


class MajorChange(models.Model):
    """A change of display name, profile picture, cover image or bio (reported by capture):
    a screenshot is due at once (R7.7 "vid större förändringar")."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="major_changes")
    what = models.CharField(_("what changed"), max_length=200)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    noted_at = models.DateTimeField(_("noted"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-noted_at"]
        verbose_name = _("major change")
        verbose_name_plural = _("major changes")

    def __str__(self):
        return f"{self.what} ({self.noted_at:%Y-%m-%d})"


class ScreenshotReminder(models.Model):
    """A reminder that was sent, so each is sent once per due date."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Before the due date")
        OVERDUE = "overdue", _("Overdue")
        ESCALATED = "escalated", _("Escalated to deputies and communicators")
        UPLOAD_REQUESTED = "upload_requested", _("Upload requested after a failed capture")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "kind", "due_at"], name="screenshot_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.channel_id} {self.due_at:%Y-%m-%d}"
