"""Deposit and reveal through the actions: sealing, superseding, audit, notification (R6.2)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from custody.conftest import SECRETS, planted
from kanalvakt.audit.models import AuditEvent
from kanalvakt.custody.actions import deposit_credentials, reveal_credentials
from kanalvakt.custody.models import Deposit

pytestmark = [pytest.mark.django_db, pytest.mark.req("R6.2")]


def test_deposit_is_sealed_with_metadata_only_in_the_clear(owner, channel, custody_key_file):
    deposit = deposit_credentials(owner, channel, **planted())
    deposit.refresh_from_db()
    assert deposit.version == 1 and deposit.is_current and deposit.is_sealed
    assert deposit.kek_id.startswith("file:") and deposit.format_version == 1
    assert deposit.deposited_by == owner and deposit.deposited_by_person == owner.person
    assert owner.get_username() in deposit.deposited_by_label
    assert deposit.filled_fields == [
        "login",
        "password",
        "recovery",
        "second_factor_holder",
        "platform_admins",
        "notes",
    ]
    assert deposit.platform_admin_count == 2
    stored = bytes(deposit.ciphertext)
    assert all(s.encode() not in stored for s in ("Osby-Hemlig", "bibliotek.osby"))
    assert custody_key_file.exists() and custody_key_file.stat().st_mode & 0o777 == 0o600


def test_custodian_reveals_with_reason_and_it_is_audited(deposited, custodian, owner):
    revealed = reveal_credentials(custodian, deposited, reason="Kontoansvarig sjuk, inlägg krävs")
    creds = revealed.credentials
    assert creds.login == SECRETS["login"] and creds.password == SECRETS["password"]
    assert creds.platform_admins == tuple(SECRETS["platform_admins"])
    assert "redacted" in repr(revealed) and "redacted" in repr(creds)
    event = AuditEvent.objects.filter(action="custody.reveal").get()
    assert event.payload["reason"] == "Kontoansvarig sjuk, inlägg krävs"
    assert event.payload["version"] == 1 and event.actor_id == custodian.pk
    assert event.object_type == "registry.channel" and event.object_id == str(deposited.pk)


def test_reveal_notifies_the_responsible_person(
    deposited, custodian, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reveal_credentials(custodian, deposited, reason="Kontoansvarig sjuk, inlägg krävs")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.person.email]
    assert "visats" in message.subject or "visades" in message.subject
    assert "Kontoansvarig sjuk, inlägg krävs" in message.body
    assert SECRETS["password"] not in message.body and SECRETS["login"] not in message.body


def test_reveal_notification_over_real_smtp(
    deposited, custodian, owner, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reveal_credentials(custodian, deposited, reason="Lösenordet behövs vid semester")
    assert len(smtp_server) == 1
    received = smtp_server[0]
    assert received["To"] == owner.person.email
    body = received.get_payload(decode=True).decode("utf-8")
    assert "Lösenordet behövs vid semester" in body
    assert SECRETS["password"] not in received.as_string()


@pytest.mark.parametrize("reason", ["", "   ", "för att"])
def test_reveal_needs_a_reason(deposited, custodian, reason):
    with pytest.raises(ValidationError):
        reveal_credentials(custodian, deposited, reason=reason)
    assert not AuditEvent.objects.filter(action="custody.reveal").exists()


def test_reveal_without_deposit_is_refused(channel, custodian):
    with pytest.raises(ValidationError):
        reveal_credentials(custodian, channel, reason="Behövs för att publicera")


def test_new_deposit_replaces_and_destroys_the_old(deposited, owner, custodian):
    old = Deposit.objects.get(channel=deposited)
    new = deposit_credentials(owner, deposited, login="ny.login@osby.se", password="Nytt-Lösen-2")
    old.refresh_from_db()
    assert new.version == 2 and new.is_current
    assert old.superseded_at is not None and not old.is_current
    assert old.ciphertext is None and old.wrapped_data_key is None and old.nonce is None
    assert old.kek_id == "" and old.format_version is None
    # The metadata stays: when, by whom, what it contained.
    assert old.deposited_by == owner and old.has_recovery_codes and old.version == 1
    assert reveal_credentials(
        custodian, deposited, reason="Kontroll efter byte"
    ).credentials.login == ("ny.login@osby.se")
    event = AuditEvent.objects.filter(action="custody.deposit").order_by("-seq").first()
    assert event.payload["replaced_version"] == 1 and event.payload["version"] == 2


def test_deputy_may_deposit(channel, make_user):
    from kanalvakt.organisation.roles import Role

    deputy_user = make_user(Role.ACCOUNT_OWNER)
    channel.deputies.add(deputy_user.person)
    deposit = deposit_credentials(deputy_user, channel, login="x@osby.se", password="pw-deputy-1")
    assert deposit.deposited_by_person == deputy_user.person


def test_deposit_needs_login_and_password_or_admins(owner, channel):
    with pytest.raises(ValidationError):
        deposit_credentials(owner, channel)
    with pytest.raises(ValidationError):
        deposit_credentials(owner, channel, login="someone@osby.se")
    deposit = deposit_credentials(owner, channel, platform_admins=["Lena Admin", "Johan Admin"])
    assert deposit.platform_admin_count == 2 and not deposit.has_password


def test_deposit_refuses_oversized_fields(owner, channel):
    with pytest.raises(ValidationError):
        deposit_credentials(owner, channel, login="a@osby.se", password="p", notes="x" * 6000)
    assert not Deposit.objects.exists()


def test_audit_payloads_hold_no_values(deposited, custodian):
    reveal_credentials(custodian, deposited, reason="Kontroll av kontot")
    for event in AuditEvent.objects.all():
        text = str(event.payload)
        assert SECRETS["password"] not in text and SECRETS["login"] not in text
        assert SECRETS["notes"] not in text and SECRETS["platform_admins"][0] not in text
