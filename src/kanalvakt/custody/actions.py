"""Use cases of custody (R6.2): deposit, reveal with a reason, rotate the key.

Every one goes through kanalvakt.core.actions.action (permission, change, audit in one
transaction). Audit payloads, log lines and e-mails name versions, fields, key ids and
reasons, never a value.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kanalvakt.core.actions import action
from kanalvakt.core.notify import notify
from kanalvakt.custody import crypto
from kanalvakt.custody.credentials import Credentials
from kanalvakt.custody.keys import get_key_provider
from kanalvakt.custody.models import BLANK_SEALED, Deposit
from kanalvakt.organisation.access import person_of
from kanalvakt.registry.models import Channel

logger = logging.getLogger("kanalvakt.custody")

MIN_REASON_LENGTH = 10


class RevealFailed(Exception):
    """A deposit did not open (wrong or missing key, tampering, a moved row). The failure
    is already audited and the deposit flagged; `code` is the crypto error's code."""

    def __init__(self, error: crypto.CustodyError):
        self.code = error.code
        self.detail = str(error)
        super().__init__(f"{self.code}: {self.detail}")

    @property
    def user_message(self) -> str:
        if self.code in {crypto.KeyUnavailable.code, crypto.InsecureKeyFile.code}:
            return _(
                "The login details could not be opened: the encryption key is missing, "
                "wrong or unreachable. Nothing was shown. The system administrator must "
                "restore the right key."
            )
        return _(
            "The login details could not be opened: the stored data failed its integrity "
            "check (altered or moved in the database). Nothing was shown. Ask the "
            "responsible person to deposit the login details again."
        )


@contextlib.contextmanager
def _secure_delete():
    """On SQLite, overwrite freed bytes with zeros while blanking a superseded deposit, so
    its sealed columns do not linger in the file's free space."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA secure_delete = 1")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA secure_delete = {int(before)}")


@action("custody.deposit", permission="custody.deposit_credentials", target="channel")
@sensitive_variables()
def deposit_credentials(
    ctx,
    channel: Channel,
    *,
    login="",
    password="",
    recovery="",
    second_factor_holder="",
    platform_admins=(),
    notes="",
) -> Deposit:
    """Seal new credentials for the channel; the previous deposit keeps its metadata and
    loses its sealed columns."""
    if channel.status == Channel.Status.REJECTED:
        raise ValidationError(_("A rejected request has no account to deposit login details for."))
    credentials = Credentials.build(
        login=login,
        password=password,
        recovery=recovery,
        second_factor_holder=second_factor_holder,
        platform_admins=platform_admins,
        notes=notes,
    )
    _validate(credentials)
    previous = list(
        Deposit.objects.select_for_update().filter(channel=channel).order_by("-version")
    )
    current = next((d for d in previous if d.is_current), None)
    version = (previous[0].version + 1) if previous else 1
    user = None if getattr(ctx.actor, "is_system", False) else ctx.actor
    deposit = Deposit(
        channel=channel,
        version=version,
        deposited_by=user,
        deposited_by_person=person_of(ctx.actor),
        deposited_by_label=ctx.actor_label,
        has_login=bool(credentials.login),
        has_password=bool(credentials.password),
        has_recovery_codes=bool(credentials.recovery),
        has_second_factor_holder=bool(credentials.second_factor_holder),
        platform_admin_count=len(credentials.platform_admins),
        has_notes=bool(credentials.notes),
    )
    deposit.store_sealed(crypto.seal(credentials.to_plaintext(), deposit.aad(), get_key_provider()))
    if current is not None:
        # Supersede first: only one current deposit per channel (a database constraint).
        with _secure_delete():
            Deposit.objects.filter(pk=current.pk).update(
                superseded_at=timezone.now(), **BLANK_SEALED
            )
    deposit.save()
    ctx.audit(
        channel,
        {
            "deposit": deposit.pk,
            "version": version,
            "replaced_version": current.version if current else None,
            "fields": deposit.filled_fields,
            "kek_id": deposit.kek_id,
        },
    )
    return deposit


def _validate(credentials: Credentials) -> None:
    errors = []
    if not credentials.login and not credentials.platform_admins:
        errors.append(
            _(
                "Give the login identifier, or (for accounts without a login of their own) "
                "the admin users on the platform."
            )
        )
    if credentials.login and not credentials.password:
        errors.append(_("Give the password that goes with the login identifier."))
    if credentials.too_long():
        errors.append(
            _("Some fields are too long: %(fields)s.")
            % {"fields": ", ".join(credentials.too_long())}
        )
    if errors:
        raise ValidationError(errors)


@action("custody.reveal", permission="custody.reveal_credentials", target="channel")
@sensitive_variables()
def _reveal(ctx, channel: Channel, *, reason: str):
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            _("Say why the login details are needed (at least %(n)s characters).")
            % {"n": MIN_REASON_LENGTH}
        )
    deposit = Deposit.objects.current().filter(channel=channel).first()
    if deposit is None or not deposit.is_sealed:
        raise ValidationError(_("No login details are deposited for this account."))
    try:
        opened = crypto.open_sealed(deposit.sealed_secret(), deposit.aad(), get_key_provider())
        credentials = Credentials.from_plaintext(opened)
    except crypto.CustodyError as exc:
        exc.__traceback__ = None  # no frames (and their locals) travel with the error
        # Returned, not raised, so this audit event and the flag commit with the action.
        Deposit.objects.filter(pk=deposit.pk).update(
            failed_at=timezone.now(), failure_code=exc.code
        )
        ctx.audit(
            channel,
            {
                "deposit": deposit.pk,
                "version": deposit.version,
                "reason": reason,
                "code": exc.code,
                "kek_id": deposit.kek_id,
                "error": str(exc)[:500],
            },
            action="custody.reveal_failed",
        )
        logger.error(
            "Credentials of channel %s (deposit v%s) failed closed: %s",
            channel.pk,
            deposit.version,
            exc.code,
        )
        return exc
    if deposit.failure_code:
        Deposit.objects.filter(pk=deposit.pk).update(failed_at=None, failure_code="")
    event = ctx.audit(
        channel,
        {
            "deposit": deposit.pk,
            "version": deposit.version,
            "reason": reason,
            "kek_id": deposit.kek_id,
            "fields": deposit.filled_fields,
        },
    )
    with translation.override("sv"):
        subject = _("The login details of %(name)s were revealed") % {"name": channel.display_name}
    notify(
        [channel.responsible],
        subject,
        "custody/email/revealed.txt",
        {
            "channel": channel,
            "revealed_by": ctx.actor_label,
            "reason": reason,
            "revealed_at": event.occurred_at,
            "version": deposit.version,
        },
    )
    return RevealedCredentials(credentials, deposit, event.seq)


@dataclass(frozen=True, repr=False)
class RevealedCredentials:
    credentials: Credentials
    deposit: Deposit
    audit_seq: int

    def __repr__(self) -> str:
        return f"<RevealedCredentials deposit v{self.deposit.version}: redacted>"

    def __reduce__(self):
        raise TypeError("revealed credentials must not be pickled")


@sensitive_variables()
def reveal_credentials(actor, channel: Channel, *, reason: str) -> RevealedCredentials:
    """Open the channel's current deposit for a custodian, with a reason; audited and the
    responsible person is told by e-mail. Raises RevealFailed (already audited) when the
    deposit does not open, ValidationError without a reason or a deposit."""
    outcome = _reveal(actor, channel, reason=reason)
    if isinstance(outcome, crypto.CustodyError):
        raise RevealFailed(outcome) from None
    return outcome


reveal_credentials.action_name = _reveal.action_name
reveal_credentials.permission = _reveal.permission


@dataclass
class RotationReport:
    new_kek_id: str = ""
    rewrapped: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (store:row id, error code)
    retired: list[str] = field(default_factory=list)


@action("custody.key.rotate", permission="custody.rotate_key")
def _rotate_and_rewrap(ctx) -> RotationReport:
    provider = get_key_provider()
    report = RotationReport(new_kek_id=provider.rotate())
    _rewrap_all(provider, report)
    ctx.audit(
        None,
        {
            "new_kek_id": report.new_kek_id,
            "rewrapped": report.rewrapped,
            "unchanged": report.unchanged,
            "failed": [{"deposit": pk, "code": code} for pk, code in report.failed],
        },
    )
    return report


@action("custody.key.retire", permission="custody.rotate_key")
def _retire_old_keys(ctx, report: RotationReport) -> RotationReport:
    provider = get_key_provider()
    # A deposit sealed with the old version while the rotation ran is moved over too.
    unchanged = report.unchanged
    _rewrap_all(provider, report)
    report.unchanged = unchanged
    if report.failed:
        ctx.audit(None, {"retired": [], "failed": len(report.failed)})
        return report
    report.retired = provider.retire_old_versions()
    ctx.audit(None, {"retired": report.retired, "current": provider.current_kek_id})
    return report


def _rewrap_all(provider, report: RotationReport) -> None:
    from kanalvakt.custody.sealed_stores import STORES

    current = provider.current_kek_id
    for store in STORES.values():
        report.unchanged += store.count_current(current)
        for row in store.stale_rows(current):
            try:
                sealed = crypto.rewrap(store.sealed_of(row), provider)
            except crypto.CustodyError as exc:
                report.failed.append((f"{store.name}:{row.pk}", exc.code))
                continue
            store.save_wrapped(row, sealed)
            report.rewrapped += 1


def rotate_key(actor, *, retire: bool = True) -> RotationReport:
    """A new KEK version, every data key re-wrapped under it (payloads untouched), then the
    old versions retired. Retiring runs only after the re-wrapped rows have committed and
    only if none failed, so no deposit can be left on a retired key."""
    report = _rotate_and_rewrap(actor)
    if retire and not report.failed:
        report = _retire_old_keys(actor, report)
    return report
