"""Who may deposit, reveal and see deposit metadata: every role, on an own and a foreign
channel, through the actions and through the pages (R6.2)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from custody.conftest import planted
from kanalvakt.audit.models import AuditEvent
from kanalvakt.custody.actions import deposit_credentials, reveal_credentials
from kanalvakt.organisation.roles import Role
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R6.2")]

R = Role
# role -> (deposit own, deposit foreign, reveal own, reveal foreign, view own, view foreign)
MATRIX = {
    R.ACCOUNT_OWNER: (True, False, False, False, True, False),
    R.MANAGER: (False, False, False, False, True, False),
    R.COMMUNICATOR: (False, False, False, False, True, True),
    R.CENTRAL_OFFICE: (False, False, True, True, True, True),
    R.REGISTRAR: (False, False, False, False, False, False),
    R.ARCHIVIST: (False, False, False, False, False, False),
    R.AUDITOR: (False, False, False, False, True, True),
    R.MODERATOR: (False, False, False, False, False, False),
}


def test_matrix_covers_every_role():
    assert set(MATRIX) == set(Role)


@pytest.fixture
def setting(make_user):
    """A user of the role who answers for `own`; `foreign` is someone else's channel; both
    hold a deposit."""

    def build(role):
        user = make_user(role)
        own = make_channel(responsible=user.person)
        foreign = make_channel()
        for channel in (own, foreign):
            deposit_credentials(_system(), channel, **planted(f"-{channel.pk}"))
        return user, own, foreign

    return build


def _system():
    from kanalvakt.organisation.access import SystemActor

    return SystemActor("test")


def _allowed(fn) -> bool:
    try:
        fn()
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("role", list(Role))
def test_actions_follow_the_matrix(role, setting):
    user, own, foreign = setting(role)
    expected = MATRIX[role]
    got = []
    for channel in (own, foreign):
        got.append(
            _allowed(
                lambda c=channel: deposit_credentials(user, c, login="l@osby.se", password="p1")
            )
        )
    for channel in (own, foreign):
        got.append(
            _allowed(lambda c=channel: reveal_credentials(user, c, reason="Behövs för kontroll"))
        )
    client = Client()
    client.force_login(user)
    for channel in (own, foreign):
        response = client.get(reverse("custody:channel", args=[channel.pk]))
        assert response.status_code in (200, 403)
        got.append(response.status_code == 200)
    assert tuple(got) == (
        expected[0],
        expected[1],
        expected[2],
        expected[3],
        expected[4],
        expected[5],
    )
    refused = AuditEvent.objects.filter(action="access.denied", actor_id=user.pk).count()
    assert refused == (2 - sum(expected[:2])) + (2 - sum(expected[2:4]))


@pytest.mark.parametrize("role", list(Role))
def test_pages_follow_the_matrix(role, setting):
    user, own, foreign = setting(role)
    expected = MATRIX[role]
    client = Client()
    client.force_login(user)
    for channel, may_deposit, may_reveal in (
        (own, expected[0], expected[2]),
        (foreign, expected[1], expected[3]),
    ):
        form = client.get(reverse("custody:deposit", args=[channel.pk]))
        assert form.status_code == (200 if may_deposit else 403)
        reveal = client.post(
            reverse("custody:reveal", args=[channel.pk]), {"reason": "Behövs för kontroll"}
        )
        assert reveal.status_code == (200 if may_reveal else 403)
        if may_reveal:
            assert reveal["Cache-Control"].startswith("no-store")
    overview = client.get(reverse("custody:overview"))
    assert overview.status_code == (200 if expected[4] else 403)
    if expected[4]:
        html = overview.content.decode()
        assert own.display_name in html
        assert (foreign.display_name in html) == expected[5]


def test_depositor_sees_metadata_never_values(owner, channel):
    deposit_credentials(owner, channel, **planted())
    client = Client()
    client.force_login(owner)
    html = client.get(reverse("custody:channel", args=[channel.pk])).content.decode()
    assert "osby_test" in html or channel.display_name in html
    for value in ("Osby-Hemlig", "bibliotek.osby", "RC-1111", "adm-lena", "kv-notes"):
        assert value not in html
    assert reverse("custody:reveal", args=[channel.pk]) not in html  # no reveal form
