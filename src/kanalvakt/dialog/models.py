"""Questions from the public and how the municipality answers them (R3).

A Question is a third-party captured item that the detector judged to be a question. Its
deadline is fixed when it arrives, from the channel's watch schedule and response target
(ADR 0101), so the inbox can order by it in SQL without loading schedules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kanalvakt.archive.models import Item
from kanalvakt.registry.models import Channel


class ChannelDialogSettings(models.Model):
    """Per-channel dialog choices: response target override and reply signature (R3.5)."""

    channel = models.OneToOneField(
        Channel, on_delete=models.CASCADE, related_name="dialog_settings"
    )
    response_target = models.CharField(
        _("response target"),
        max_length=40,
        blank=True,
        help_text=_("For example '1 arbetsdag' or '4 timmar'. Empty: the municipal default."),
    )
    signature_enabled = models.BooleanField(_("sign replies"), default=False)
    signature_template = models.CharField(
        _("signature"),
        max_length=200,
        blank=True,
        help_text=_("For example '/Anna, bibliotekarie'."),
    )

    class Meta:
        verbose_name = _("dialog settings")
        verbose_name_plural = _("dialog settings")

    def __str__(self):
        return str(self.channel)

    def answerable_person_ids(self) -> set[int]:
        return self.channel.answerable_person_ids()


class Question(models.Model):
    class HowAnswered(models.TextChoices):
        REPLY_SEEN = "reply_seen", _("Reply captured from the platform")
        MARKED_HANDLED = "marked_handled", _("Marked as handled")

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="question")
    # Denormalised from item.channel so the inbox filters and orders on one table.
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="questions")
    cues = models.JSONField(_("detected cues"), default=list)
    score = models.FloatField(_("score"), default=0)
    received_at = models.DateTimeField(_("received"))
    deadline = models.DateTimeField(_("answer by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    how_answered = models.CharField(
        _("how answered"), max_length=20, choices=HowAnswered.choices, blank=True
    )
    answer_item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_reason = models.TextField(_("reason"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 0: not escalated; 1: responsible person mailed; 2: deputies and communicators mailed.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("last escalated"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [
            ("answer_question", _("Can answer and mark questions handled")),
            ("forward_question", _("Can forward questions")),
        ]
        indexes = [
            # The inbox: open questions by deadline, optionally per channel.
            models.Index(
                fields=["deadline", "id"],
                name="dialog_q_open_deadline",
                condition=models.Q(answered_at__isnull=True),
            ),
            models.Index(fields=["channel", "answered_at", "deadline"]),
        ]

    def __str__(self):
        return f"Question {self.pk} on {self.channel_id}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    def answerable_person_ids(self) -> set[int]:
        return self.channel.answerable_person_ids()


class Forward(models.Model):
    """A question, critical comment or feedback sent to whoever is responsible for the
    activity (R3.3, R3.4). The receiver answers through a signed single-use link; the
    answer comes back to the account owner, who posts it; open until someone closes it."""

    class State(models.TextChoices):
        SENT = "sent", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered, to be posted")
        CLOSED = "closed", _("Closed")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="forwards")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="forwards"
    )
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="forwards")
    to_person = models.ForeignKey(
        "organisation.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_email = models.EmailField(_("receiver's e-mail"))
    message = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("forwarded"))
    # The signed link carries pk and nonce; used_at makes it single use.
    nonce = models.CharField(max_length=32, unique=True)
    link_used_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SENT, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by_label = models.CharField(max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("forwarded item")
        verbose_name_plural = _("forwarded items")

    def __str__(self):
        return f"Forward {self.pk} to {self.to_email}"

    def answerable_person_ids(self) -> set[int]:
        return self.channel.answerable_person_ids()


class Reply(models.Model):
    """A reply written in Kanalvakt (R3.5). Published through the platform API where a
    connection with a token exists; otherwise it is a manual task: the owner posts it by
    hand. Either way capture brings the posted reply back as a drawn-up item."""

    class State(models.TextChoices):
        PUBLISHED = "published", _("Published")
        MANUAL = "manual", _("To post by hand")
        FAILED = "failed", _("Failed")
        DONE_BY_HAND = "done_by_hand", _("Posted by hand")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="dialog_replies")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="dialog_replies")
    text = models.TextField(_("text as published"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    external_id = models.CharField(max_length=700, blank=True)
    error = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written"))
    advice = models.JSONField(default=list)  # the language check advice shown before publishing

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        return f"Reply {self.pk} to {self.item_id}"

    def answerable_person_ids(self) -> set[int]:
        return self.channel.answerable_person_ids()
