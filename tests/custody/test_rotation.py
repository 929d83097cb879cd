"""Rotating the key-encryption key re-wraps every data key, keeps every deposit readable and
never touches a payload; old versions are retired only once nothing needs them (R6.2)."""

import pytest

from custody.conftest import planted
from kanalvakt.audit.models import AuditEvent
from kanalvakt.custody.actions import deposit_credentials, reveal_credentials, rotate_key
from kanalvakt.custody.keys import get_key_provider
from kanalvakt.custody.models import Deposit
from kanalvakt.organisation.access import SystemActor
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R6.2")]
REASON = "Kontroll efter nyckelbyte"


def _deposit_several(owner, n=3):
    channels = [make_channel(responsible=owner.person) for _ in range(n)]
    for channel in channels:
        deposit_credentials(owner, channel, **planted(f"-{channel.pk}"))
    # A superseded deposit: blank, so not part of the rotation.
    deposit_credentials(owner, channels[0], **planted(f"-{channels[0].pk}"))
    return channels


def _all_readable(channels, custodian):
    for channel in channels:
        creds = reveal_credentials(custodian, channel, reason=REASON).credentials
        assert creds.login.endswith(f"-{channel.pk}")


def test_file_key_rotation_keeps_every_secret_readable(owner, custodian):
    channels = _deposit_several(owner)
    before = {
        d.pk: (bytes(d.ciphertext), bytes(d.nonce), d.kek_id) for d in Deposit.objects.sealed()
    }
    old_kek = next(iter(before.values()))[2]
    report = rotate_key(SystemActor("cli"))
    assert report.rewrapped == 3 and report.failed == [] and report.retired == [old_kek]
    after = {d.pk: d for d in Deposit.objects.sealed()}
    assert set(after) == set(before)
    for pk, deposit in after.items():
        assert deposit.kek_id == report.new_kek_id != old_kek
        # Payload untouched: only the wrapped data key changed.
        assert (bytes(deposit.ciphertext), bytes(deposit.nonce)) == before[pk][:2]
    assert get_key_provider().known_kek_ids == [report.new_kek_id]
    _all_readable(channels, custodian)
    events = {
        e.action: e.payload for e in AuditEvent.objects.filter(action__startswith="custody.key")
    }
    assert events["custody.key.rotate"]["rewrapped"] == 3
    assert events["custody.key.retire"]["retired"] == [old_kek]


def test_rotation_twice_and_keep_old(owner, custodian):
    channels = _deposit_several(owner, 2)
    first = rotate_key(SystemActor("cli"), retire=False)
    assert first.retired == [] and len(get_key_provider().known_kek_ids) == 2
    second = rotate_key(SystemActor("cli"))
    assert second.rewrapped == 2 and len(second.retired) == 2
    _all_readable(channels, custodian)


def test_rotation_with_an_unopenable_row_keeps_old_keys(owner, custodian):
    channels = _deposit_several(owner, 2)
    broken = Deposit.objects.sealed().get(channel=channels[1])
    Deposit.objects.filter(pk=broken.pk).update(kek_id="file:0000000000000000:v1")
    report = rotate_key(SystemActor("cli"))
    assert report.failed == [(f"deposit:{broken.pk}", "key_unavailable")] and report.retired == []
    assert len(get_key_provider().known_kek_ids) == 2  # nothing retired
    _all_readable(channels[:1], custodian)


def test_vault_transit_deposit_reveal_and_rotation(settings, openbao, owner, custodian):
    settings.CUSTODY_KEY_PROVIDER = "vault"
    settings.CUSTODY_VAULT_ADDR = openbao.url
    settings.CUSTODY_VAULT_TOKEN = openbao.root_token
    settings.CUSTODY_VAULT_TRANSIT_KEY = openbao.new_key()
    settings.CUSTODY_VAULT_TRANSIT_MOUNT = "transit"
    channels = _deposit_several(owner, 2)
    assert all(d.kek_id.endswith(":v1") for d in Deposit.objects.sealed())
    report = rotate_key(SystemActor("cli"))
    assert report.rewrapped == 2 and report.new_kek_id.endswith(":v2")
    assert report.retired == [report.new_kek_id.replace(":v2", ":v1")]
    assert all(d.kek_id == report.new_kek_id for d in Deposit.objects.sealed())
    _all_readable(channels, custodian)


def test_vault_app_token_cannot_rotate_but_can_reveal(settings, openbao, owner, custodian):
    from kanalvakt.custody.crypto import KeyUnavailable
    from kanalvakt.custody.kek import VaultTransitKeyProvider

    key = openbao.new_key()
    settings.CUSTODY_KEY_PROVIDER = "vault"
    settings.CUSTODY_VAULT_ADDR = openbao.url
    settings.CUSTODY_VAULT_TRANSIT_KEY = key
    settings.CUSTODY_VAULT_TRANSIT_MOUNT = "transit"
    settings.CUSTODY_VAULT_TOKEN = openbao.token_with_policy(
        VaultTransitKeyProvider.policy_hcl(key)
    )
    channels = _deposit_several(owner, 1)
    _all_readable(channels, custodian)
    with pytest.raises(KeyUnavailable):
        rotate_key(SystemActor("cli"))
