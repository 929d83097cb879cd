"""How Kanalvakt reaches each channel's platform: the connection, its sealed access token,
its cursor and schedule; and the counters of the public webhook endpoints."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.custody.crypto import SealedSecret, aad_for
from kanalvakt.registry.models import Channel

TOKEN_AAD_PURPOSE = "platform-token"  # noqa: S105 - a label, not a secret


class ChannelConnectionQuerySet(models.QuerySet):
    def with_token(self):
        return self.exclude(token_kek_id="")

    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(state=ChannelConnection.State.OK).filter(
            models.Q(next_poll_at__isnull=True) | models.Q(next_poll_at__lte=now)
        )


class ChannelConnection(models.Model):
    class State(models.TextChoices):
        OK = "ok", _("Working")
        BROKEN = "broken", _("Broken")
        DISABLED = "disabled", _("Switched off")

    channel = models.OneToOneField(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="connection"
    )
    connector = models.CharField(_("connector"), max_length=40)
    account_id = models.CharField(
        _("account id on the platform"),
        max_length=500,
        help_text=_(
            "The platform's stable id: Facebook page id, Instagram user id, YouTube channel "
            "id, X user id, LinkedIn organisation URN, Mastodon account id, Bluesky DID, or "
            "the feed address for RSS."
        ),
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.OK, db_index=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    broken_since = models.DateTimeField(null=True, blank=True)
    cursor = models.JSONField(default=dict, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_poll_started_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful capture"), null=True, blank=True)
    last_refetch_completed_at = models.DateTimeField(null=True, blank=True)
    webhook_deliveries = models.PositiveBigIntegerField(default=0)
    last_webhook_at = models.DateTimeField(null=True, blank=True)

    # The access token, sealed as custody seals deposits (AES-256-GCM envelope, AAD naming
    # this connection and the token's version). Never shown again after it is deposited.
    token_version = models.PositiveIntegerField(default=0, editable=False)
    token_ciphertext = models.BinaryField(null=True, editable=False)
    token_nonce = models.BinaryField(null=True, editable=False)
    token_wrapped_data_key = models.BinaryField(null=True, editable=False)
    token_kek_id = models.CharField(max_length=200, blank=True, editable=False)
    token_format_version = models.PositiveSmallIntegerField(null=True, editable=False)
    token_deposited_at = models.DateTimeField(null=True, blank=True, editable=False)
    token_deposited_by_label = models.CharField(max_length=300, blank=True, editable=False)

    objects = ChannelConnectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("platform connection")
        verbose_name_plural = _("platform connections")
        indexes = [models.Index(fields=["connector", "account_id"])]

    def __str__(self):
        return f"{self.channel} [{self.connector}]"

    def __repr__(self):  # never the sealed bytes
        return f"<ChannelConnection channel={self.channel_id} {self.connector} {self.state}>"

    def answerable_person_ids(self) -> set[int]:
        return self.channel.answerable_person_ids()

    @property
    def has_token(self) -> bool:
        return bool(self.token_kek_id)

    def token_aad(self, version: int | None = None) -> bytes:
        return aad_for(
            TOKEN_AAD_PURPOSE, self.pk, self.token_version if version is None else version
        )

    def sealed_token(self) -> SealedSecret:
        return SealedSecret(
            ciphertext=bytes(self.token_ciphertext),
            nonce=bytes(self.token_nonce),
            wrapped_data_key=bytes(self.token_wrapped_data_key),
            kek_id=self.token_kek_id,
            format_version=self.token_format_version,
        )

    def store_sealed_token(self, sealed: SealedSecret) -> None:
        self.token_ciphertext = sealed.ciphertext
        self.token_nonce = sealed.nonce
        self.token_wrapped_data_key = sealed.wrapped_data_key
        self.token_kek_id = sealed.kek_id
        self.token_format_version = sealed.format_version


class WebhookEndpoint(models.Model):
    """Counters of one public webhook endpoint. Refused deliveries cannot be pinned on a
    channel (their content is untrusted), so they are counted here."""

    key = models.CharField(max_length=40, unique=True)
    accepted = models.PositiveBigIntegerField(default=0)
    refused_unsigned = models.PositiveBigIntegerField(default=0)
    refused_bad_signature = models.PositiveBigIntegerField(default=0)
    last_refused_at = models.DateTimeField(null=True, blank=True)
    last_refusal_audited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.key
