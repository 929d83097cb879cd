"""The archive: every captured item of a channel, each distinct content of it, its media.

An Item is what the platform calls one post, comment, reply or direct message, keyed by
(platform, external id). Its columns hold the latest content for lists and search; every
distinct content ever seen is an immutable ItemVersion with the raw payload as received and
a SHA-256 over its canonical form, which the integrity log references. Nothing here is
deleted because the platform deleted it: ``deleted_on_platform_at`` records that instead.
"""

from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from kanalvakt.registry.models import Channel


class PublicRecordStatus(models.TextChoices):
    """How an item became a public record (R7.2)."""

    DRAWN_UP = "drawn_up", _("Drawn up (upprättad)")
    RECEIVED = "received", _("Received (inkommen)")
    NOT_PUBLIC_RECORD = "not_public_record", _("Not a public record")


class ItemKind(models.TextChoices):
    POST = "post", _("Post")
    COMMENT = "comment", _("Comment")
    REPLY = "reply", _("Reply")
    DIRECT_MESSAGE = "direct_message", _("Direct message")


class Item(models.Model):
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="items"
    )
    platform = models.CharField(_("platform"), max_length=20)
    # AT-URIs and feed entry ids are long; 700 chars stays within index limits on both DBs.
    external_id = models.CharField(_("id on the platform"), max_length=700)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    parent_external_id = models.CharField(max_length=700, blank=True, db_index=True)
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="thread_items"
    )
    root_external_id = models.CharField(max_length=700, blank=True)
    author_external_id = models.CharField(_("author id"), max_length=300, blank=True)
    author_display_name = models.CharField(_("author"), max_length=500, blank=True)
    author_handle = models.CharField(_("author handle"), max_length=300, blank=True)
    author_is_owner = models.BooleanField(_("written by the municipality"), default=False)
    public_record_status = models.CharField(
        _("public record status"), max_length=20, choices=PublicRecordStatus.choices
    )
    public_record_since = models.DateTimeField(_("public record since"))
    text = models.TextField(_("text"), blank=True)
    text_plain = models.TextField(_("plain text"), blank=True)
    title = models.CharField(_("title"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=20, blank=True)
    url = models.URLField(_("address on the platform"), max_length=1000, blank=True)
    created_on_platform_at = models.DateTimeField(_("created on the platform"), db_index=True)
    captured_at = models.DateTimeField(_("captured"))
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_on_platform_at = models.DateTimeField(_("deleted on the platform"), null=True)
    hidden_on_platform = models.BooleanField(_("hidden on the platform"), default=False)
    last_seen_at = models.DateTimeField(_("last seen on the platform"), db_index=True)
    content_hash = models.CharField(max_length=64)  # of the latest version
    version_count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_on_platform_at", "id"]
        verbose_name = _("captured item")
        verbose_name_plural = _("captured items")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="archive_item_unique_external_id"
            )
        ]
        indexes = [models.Index(fields=["channel", "created_on_platform_at"])]

    def __str__(self):
        return f"{self.platform}:{self.external_id}"

    def answerable_person_ids(self) -> set[int]:
        return self.channel.answerable_person_ids()

    @property
    def display_text(self) -> str:
        """Plain text for showing; HTML sources are never rendered as HTML."""
        return self.text_plain or self.text


class ItemVersion(models.Model):
    """One distinct content of an item, never changed after it is written."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content_hash = models.CharField(max_length=64)  # CapturedItem.content_hash(): what changed
    sha256 = models.CharField(max_length=64, db_index=True)  # of canonical_bytes(): integrity
    text = models.TextField(blank=True)
    text_plain = models.TextField(blank=True)
    title = models.CharField(max_length=1000, blank=True)
    edited_at = models.DateTimeField(null=True)
    deleted = models.BooleanField(default=False)
    media_keys = models.JSONField(default=list)
    # The payload exactly as parsed, as JSON text: control characters and lone surrogates
    # stay escaped, which a jsonb/text column could not hold.
    raw_json = models.TextField()
    source = models.CharField(max_length=20)  # poll, webhook, import:<kind>, demo
    captured_at = models.DateTimeField()

    class Meta:
        ordering = ["item", "number"]
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="archive_version_unique")
        ]

    def __str__(self):
        return f"{self.item_id} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("An item version is immutable.")
        super().save(*args, **kwargs)


# One encoder for every version (json.dumps with options builds one per call).
_VERSION_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def canonical_version_bytes(
    platform: str,
    external_id: str,
    number: int,
    text: str,
    title: str,
    edited_at: str | None,
    deleted: bool,
    media_keys: list[str],
    raw_json: str,
) -> bytes:
    """The exact bytes ItemVersion.sha256 is taken over (for the integrity log)."""
    document = {
        "deleted": deleted,
        "edited_at": edited_at,
        "external_id": external_id,
        "media": media_keys,
        "number": number,
        "platform": platform,
        "raw": raw_json,
        "text": text,
        "title": title,
        "v": 1,
    }
    return _VERSION_JSON.encode(document).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Media(models.Model):
    """An attachment of an item; the file is stored content-addressed once downloaded."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="media")
    identity_key = models.CharField(max_length=700)  # MediaRef.identity_key()
    source_url = models.URLField(max_length=2000)
    mime_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveBigIntegerField(null=True)
    file = models.CharField(max_length=200, blank=True)  # storage name: media/ab/abcdef…
    fetched_at = models.DateTimeField(null=True)
    fetch_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("media")
        verbose_name_plural = _("media")
        constraints = [
            models.UniqueConstraint(fields=["item", "identity_key"], name="archive_media_unique")
        ]

    def __str__(self):
        return self.identity_key


class CaptureError(models.Model):
    """An object the platform sent that could not be read; kept with its raw payload."""

    channel = models.ForeignKey(
        Channel, null=True, on_delete=models.PROTECT, related_name="capture_errors"
    )
    platform = models.CharField(max_length=20)
    external_id = models.CharField(max_length=700, blank=True)
    reason = models.TextField()
    raw_json = models.TextField(blank=True)
    source = models.CharField(max_length=40)
    occurred_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("capture error")
        verbose_name_plural = _("capture errors")

    def __str__(self):
        return f"{self.platform}:{self.external_id or '?'}: {self.reason[:60]}"


# The integrity log and search index models live in their own modules (one line here).
from kanalvakt.archive.integrity_models import *  # noqa: E402,F403
