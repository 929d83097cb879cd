"""A wrong or missing key, a tampered ciphertext or a row moved between channels fails
closed: a clear error, an audit event, a flag; never a wrong plaintext (R6.2)."""

import os

import pytest
from django.core.exceptions import ValidationError

from custody.conftest import planted
from kanalvakt.audit.models import AuditEvent
from kanalvakt.custody.actions import RevealFailed, deposit_credentials, reveal_credentials
from kanalvakt.custody.flags import FlagKind, custody_flags
from kanalvakt.custody.kek import FileKeyProvider
from kanalvakt.custody.models import Deposit
from kanalvakt.registry.activation import activation_blockers

pytestmark = [pytest.mark.django_db, pytest.mark.req("R6.2")]
REASON = "Kontoansvarig är sjuk"


def _fails(channel, custodian, code):
    with pytest.raises(RevealFailed) as caught:
        reveal_credentials(custodian, channel, reason=REASON)
    assert caught.value.code == code
    assert caught.value.user_message  # a clear message for the page
    event = AuditEvent.objects.filter(action="custody.reveal_failed").order_by("-seq").first()
    assert event is not None and event.payload["code"] == code
    assert event.payload["reason"] == REASON and event.object_id == str(channel.pk)
    assert not AuditEvent.objects.filter(action="custody.reveal").exists()
    kinds = [f.kind for f in custody_flags(channel)]
    assert FlagKind.UNREADABLE in kinds
    assert "credentials" in {b.key for b in activation_blockers(channel)}
    return caught.value


def test_missing_key_file_fails_closed_and_is_not_recreated(deposited, custodian, custody_key_file):
    custody_key_file.unlink()
    error = _fails(deposited, custodian, "key_unavailable")
    assert "restore" in error.detail
    assert not custody_key_file.exists()  # no silent new key once deposits exist


def test_wrong_key_file_fails_closed(deposited, custodian, custody_key_file, tmp_path):
    other = tmp_path / "other.key"
    FileKeyProvider(other).current_kek_id  # noqa: B018 - creates another key set
    os.replace(other, custody_key_file)
    error = _fails(deposited, custodian, "key_unavailable")
    assert "wrong or replaced key file" in error.detail


def test_insecure_key_file_is_refused(deposited, custodian, custody_key_file):
    custody_key_file.chmod(0o644)
    _fails(deposited, custodian, "insecure_key_file")


def test_tampered_ciphertext_fails_closed(deposited, custodian):
    deposit = Deposit.objects.get(channel=deposited)
    altered = bytearray(bytes(deposit.ciphertext))
    altered[3] ^= 0x01
    Deposit.objects.filter(pk=deposit.pk).update(ciphertext=bytes(altered))
    _fails(deposited, custodian, "decryption_failed")


def test_tampered_wrapped_key_fails_closed(deposited, custodian):
    deposit = Deposit.objects.get(channel=deposited)
    altered = bytearray(bytes(deposit.wrapped_data_key))
    altered[-1] ^= 0x80
    Deposit.objects.filter(pk=deposit.pk).update(wrapped_data_key=bytes(altered))
    _fails(deposited, custodian, "decryption_failed")


def test_sealed_document_swapped_between_channels_fails_closed(owner, custodian):
    from registry.helpers import make_channel

    first = make_channel(responsible=owner.person)
    second = make_channel(responsible=owner.person)
    deposit_credentials(owner, first, **planted("-first"))
    deposit_credentials(owner, second, **planted("-second"))
    a, b = Deposit.objects.get(channel=first), Deposit.objects.get(channel=second)
    Deposit.objects.filter(pk=b.pk).update(
        ciphertext=a.ciphertext, nonce=a.nonce, wrapped_data_key=a.wrapped_data_key
    )
    # The second channel never opens as the first channel's password.
    _fails(second, custodian, "decryption_failed")
    assert reveal_credentials(custodian, first, reason=REASON).credentials.login.endswith("-first")


def test_row_moved_to_another_version_fails_closed(deposited, custodian):
    Deposit.objects.filter(channel=deposited).update(version=7)
    _fails(deposited, custodian, "decryption_failed")


def test_destroyed_deposit_cannot_be_revealed(deposited, owner, custodian):
    from kanalvakt.custody.models import BLANK_SEALED

    Deposit.objects.filter(channel=deposited).update(**BLANK_SEALED)
    with pytest.raises(ValidationError):
        reveal_credentials(custodian, deposited, reason=REASON)


def test_failure_flag_clears_after_a_good_reveal(deposited, custodian, custody_key_file):
    good = custody_key_file.read_bytes()
    custody_key_file.unlink()
    _fails(deposited, custodian, "key_unavailable")
    fd = os.open(custody_key_file, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(good)
    reveal_credentials(custodian, deposited, reason=REASON)
    assert FlagKind.UNREADABLE not in [f.kind for f in custody_flags(deposited)]


def test_deposit_with_missing_key_file_saves_nothing(deposited, owner, custody_key_file):
    from kanalvakt.custody.crypto import KeyUnavailable

    custody_key_file.unlink()
    with pytest.raises(KeyUnavailable):
        deposit_credentials(owner, deposited, login="x@osby.se", password="pw-1234")
    current = Deposit.objects.get(channel=deposited)
    assert current.version == 1 and current.is_sealed  # the old deposit is untouched
