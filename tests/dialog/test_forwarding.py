"""Forwarding to the responsible person and the signed single-use answer link (R3.3, R3.4)."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.utils import timezone

from kanalvakt.audit.models import AuditEvent
from kanalvakt.dialog import forward_actions
from kanalvakt.dialog.forwarding import (
    LINK_MAX_AGE,
    LinkInvalid,
    answer_path,
    answer_token,
    forward_for_token,
)
from kanalvakt.dialog.models import Forward
from kanalvakt.organisation.roles import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.req("R3.3", "R3.4")]


@pytest.fixture
def forwarded(channel, capture, make_user, smtp_server):
    owner = make_user(Role.COMMUNICATOR)
    (item,) = capture(channel, "Varför är gatlyktorna på Storgatan släckta?")
    forward = forward_actions.forward_item(
        owner, item, to_email="gata@osby.example", message="Kan du svara på den här?"
    )
    return forward


def _link(mail) -> str:
    body = mail.get_payload(decode=True).decode()
    return re.search(r"https?://\S+/svar/\S+/", body).group(0)


def test_the_receiver_gets_a_signed_link_and_the_answer_reaches_the_owner(
    forwarded, client, smtp_server, channel
):
    assert [m["To"] for m in smtp_server] == ["gata@osby.example"]
    path = "/" + _link(smtp_server[0]).split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200
    assert "gatlyktorna" in page.content.decode()
    response = client.post(path, {"answer": "Lamporna byts nästa vecka.", "name": "Per, gata"})
    assert response.status_code == 200
    forwarded.refresh_from_db()
    assert forwarded.state == Forward.State.ANSWERED and forwarded.link_used_at
    assert smtp_server[-1]["To"] == channel.responsible.email
    assert "Lamporna byts" in smtp_server[-1].get_payload(decode=True).decode()
    # Single use: the same link now refuses.
    assert client.get(path).status_code == 410
    assert client.post(path, {"answer": "igen"}).status_code == 410
    assert AuditEvent.objects.filter(action="dialog.forward.answer").count() == 1


def test_the_link_expires_and_is_bound_to_its_purpose(forwarded):
    token = answer_token(forwarded)
    assert forward_for_token(token) == forwarded
    later = timezone.now() + LINK_MAX_AGE + timedelta(minutes=1)
    with (
        mock.patch("django.core.signing.time.time", return_value=later.timestamp()),
        pytest.raises(LinkInvalid),
    ):
        forward_for_token(token)
    other_purpose = signing.TimestampSigner(salt="something.else").sign(
        f"{forwarded.pk}:{forwarded.nonce}"
    )
    with pytest.raises(LinkInvalid):
        forward_for_token(other_purpose)
    with pytest.raises(LinkInvalid):
        forward_for_token(token[:-2] + "xx")


def test_the_answer_page_needs_csrf(forwarded):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(answer_path(forwarded), {"answer": "Hej"}).status_code == 403
    forwarded.refresh_from_db()
    assert forwarded.state == Forward.State.SENT


def test_reminders_until_answered_then_closed(forwarded, smtp_server, make_user):
    later = forwarded.sent_at + timedelta(days=3, minutes=1)
    assert forward_actions.send_reminders(now=later) == 1
    assert forward_actions.send_reminders(now=later) == 0  # not again the same day
    assert "påminnelse" in smtp_server[-1].get_payload(decode=True).decode().lower()
    forward_actions.answer_forward(
        make_user(Role.COMMUNICATOR), forwarded, answer="Klart.", by_label="Per"
    )
    assert forward_actions.send_reminders(now=later + timedelta(days=10)) == 0
    forward_actions.close_forward(make_user(Role.COMMUNICATOR), forwarded)
    forwarded.refresh_from_db()
    assert forwarded.state == Forward.State.CLOSED and forwarded.closed_at


def test_owners_cannot_forward_from_others_channels(channel, capture, make_user, client):
    (item,) = capture(channel, "Vem ansvarar för parken?")
    client.force_login(make_user(Role.ACCOUNT_OWNER))
    response = client.post(
        f"/intern/dialog/vidarebefordra/{item.pk}/",
        {"to_email": "x@osby.example", "message": "Hej"},
    )
    assert response.status_code == 403
    assert not Forward.objects.exists()
