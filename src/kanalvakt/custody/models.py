"""Deposited login credentials of a channel (R6.2): metadata in the clear, secrets sealed.

All secret fields of one deposit (login, password, recovery codes, who holds the second
factor, the platform's admin users, notes) are one JSON document, sealed with
`crypto.seal` under associated data naming the channel and the deposit's version. Only
the sealed columns below hold it. A new deposit supersedes the previous one: the old row
keeps its metadata (when, by whom, what was filled in) and its sealed columns are blanked,
so a replaced password can no longer be opened from the database.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.custody.crypto import SealedSecret, aad_for
from kanalvakt.organisation.models import Person
from kanalvakt.registry.models import Channel

AAD_PURPOSE = "channel-credential"


class DepositQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_at__isnull=True)

    def sealed(self):
        """Rows that still hold a secret (superseded rows have been blanked)."""
        return self.exclude(kek_id="")


class Deposit(models.Model):
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="deposits"
    )
    version = models.PositiveIntegerField(_("version"))
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deposited_by_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Snapshot, so the history still says who deposited after the user is gone.
    deposited_by_label = models.CharField(_("deposited by"), max_length=300)
    deposited_at = models.DateTimeField(_("deposited"), default=timezone.now, db_index=True)
    superseded_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    # Which parts were filled in: shown to everyone who may see the metadata.
    has_login = models.BooleanField(_("login identifier"), default=False)
    has_password = models.BooleanField(_("password"), default=False)
    has_recovery_codes = models.BooleanField(_("recovery codes"), default=False)
    has_second_factor_holder = models.BooleanField(_("second factor holder"), default=False)
    platform_admin_count = models.PositiveSmallIntegerField(_("admin users"), default=0)
    has_notes = models.BooleanField(_("notes"), default=False)

    # The sealed document (crypto.SealedSecret). Blank once superseded.
    ciphertext = models.BinaryField(null=True, editable=False)
    nonce = models.BinaryField(null=True, editable=False)
    wrapped_data_key = models.BinaryField(null=True, editable=False)
    kek_id = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    format_version = models.PositiveSmallIntegerField(null=True, editable=False)

    # The last reveal that failed closed (wrong key, tampering): flagged until a reveal works.
    failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    failure_code = models.CharField(max_length=40, blank=True, editable=False)

    objects = DepositQuerySet.as_manager()

    class Meta:
        ordering = ["channel", "-version"]
        verbose_name = _("credential deposit")
        verbose_name_plural = _("credential deposits")
        constraints = [
            models.UniqueConstraint(fields=["channel", "version"], name="deposit_unique_version"),
            models.UniqueConstraint(
                fields=["channel"],
                condition=models.Q(superseded_at__isnull=True),
                name="deposit_one_current_per_channel",
            ),
        ]
        permissions = [
            ("deposit_credentials", _("Can deposit login credentials of own accounts")),
            ("reveal_credentials", _("Can reveal deposited login credentials, with a reason")),
            ("rotate_key", _("Can rotate the key-encryption key of deposited credentials")),
        ]

    def __str__(self):
        return f"{self.channel} v{self.version}"

    def __repr__(self):  # never the sealed bytes
        return f"<Deposit channel={self.channel_id} v{self.version} kek={self.kek_id!r}>"

    # Object-level access: the deposit answers to its channel's people.
    def answerable_person_ids(self) -> set[int]:
        return self.channel.answerable_person_ids()

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_sealed(self) -> bool:
        return bool(self.kek_id)

    @property
    def filled_fields(self) -> list[str]:
        names = [
            ("login", self.has_login),
            ("password", self.has_password),
            ("recovery", self.has_recovery_codes),
            ("second_factor_holder", self.has_second_factor_holder),
            ("platform_admins", self.platform_admin_count > 0),
            ("notes", self.has_notes),
        ]
        return [name for name, filled in names if filled]

    def aad(self) -> bytes:
        # Rebuilt from the row, never stored: a sealed document moved to another channel
        # or version fails authentication.
        return aad_for(AAD_PURPOSE, self.channel_id, self.version)

    def sealed_secret(self) -> SealedSecret:
        """The stored form; raises crypto.MalformedSecret if the columns are not usable."""
        return SealedSecret(
            ciphertext=_as_bytes(self.ciphertext),
            nonce=_as_bytes(self.nonce),
            wrapped_data_key=_as_bytes(self.wrapped_data_key),
            kek_id=self.kek_id,
            format_version=self.format_version,
        )

    def store_sealed(self, sealed: SealedSecret) -> None:
        self.ciphertext = sealed.ciphertext
        self.nonce = sealed.nonce
        self.wrapped_data_key = sealed.wrapped_data_key
        self.kek_id = sealed.kek_id
        self.format_version = sealed.format_version


# The columns a superseded deposit loses (an UPDATE to these values destroys the secret).
BLANK_SEALED = {
    "ciphertext": None,
    "nonce": None,
    "wrapped_data_key": None,
    "kek_id": "",
    "format_version": None,
}


def _as_bytes(value) -> bytes:
    # PostgreSQL returns memoryview for bytea; a blanked column is None.
    if value is None:
        return b""
    return bytes(value)
