"""Replying from Kanalvakt (R3.5): signature, the platform call, manual task without a
token; and the language check before publishing (R5.1)."""

import httpx
import pytest
import respx

from kanalvakt.audit.models import AuditEvent
from kanalvakt.dialog.models import ChannelDialogSettings, Reply
from kanalvakt.dialog.replies import GRAPH, X_API, reply
from kanalvakt.organisation.roles import Role
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(make_user, client):
    def login(channel):
        user = make_user(Role.ACCOUNT_OWNER, name="Anna Berg")
        channel.responsible = user.person
        channel.save()
        client.force_login(user)
        return user

    return login


@pytest.mark.req("R3.5")
@respx.mock
def test_signed_reply_is_published_through_the_graph_api(
    channel, capture, with_token, owner_client, client
):
    with_token(channel)
    owner_client(channel)
    ChannelDialogSettings.objects.create(
        channel=channel, signature_enabled=True, signature_template="/{first_name}, bibliotekarie"
    )
    (item,) = capture(channel, "Har biblioteket öppet i påsk?")
    route = respx.post(f"{GRAPH}/{item.external_id}/comments").mock(
        return_value=httpx.Response(200, json={"id": "c_99"})
    )
    url = f"/intern/dialog/svara/{item.pk}/"
    checked = client.post(url, {"text": "Ja, kl 10–14.", "check": "1"})
    assert "/Anna, bibliotekarie" in checked.content.decode()
    assert not route.called  # checking never publishes
    client.post(url, {"text": "Ja, kl 10–14.", "publish": "1"})
    assert route.called
    assert route.calls.last.request.content.decode().startswith("message=Ja")
    row = Reply.objects.get()
    assert row.state == Reply.State.PUBLISHED and row.external_id == "c_99"
    assert row.text == "Ja, kl 10–14.\n/Anna, bibliotekarie"
    assert row.advice  # the language check ran before publishing
    assert AuditEvent.objects.filter(action="dialog.reply.publish").exists()


@pytest.mark.req("R3.5")
def test_without_a_token_the_reply_is_a_manual_task(channel, capture, owner_client, client):
    owner_client(channel)
    (item,) = capture(channel, "Har biblioteket öppet i påsk?")
    client.post(f"/intern/dialog/svara/{item.pk}/", {"text": "Ja.", "publish": "1"})
    assert Reply.objects.get().state == Reply.State.MANUAL


@pytest.mark.req("R3.5")
@respx.mock
def test_x_reply_names_the_tweet_it_answers(db, with_token, capture):
    channel = with_token(make_channel(platform="x"))
    (item,) = capture(channel, "Vem ansvarar för parken?")
    route = respx.post(f"{X_API}/tweets").mock(
        return_value=httpx.Response(201, json={"data": {"id": "555"}})
    )
    assert reply(channel, item, "Parkenheten, 0479-52 80 00.") == "555"
    body = route.calls.last.request.content.decode()
    assert f'"in_reply_to_tweet_id":"{item.external_id}"' in body.replace(" ", "")


@pytest.mark.req("R5.1")
def test_errors_in_the_language_check_stop_publishing(channel, capture, owner_client, client):
    owner_client(channel)
    (item,) = capture(channel, "Har biblioteket öppet i påsk?")
    too_long = "Ja. " * 17000  # over Facebook's 63,206 characters
    response = client.post(f"/intern/dialog/svara/{item.pk}/", {"text": too_long, "publish": "1"})
    assert response.status_code == 200
    assert not Reply.objects.exists()


@pytest.mark.req("R5.1")
def test_the_language_check_page_gives_advice_for_drafts(make_user, client):
    client.force_login(make_user(Role.COMMUNICATOR))
    response = client.post(
        "/intern/dialog/sprakgranskning/",
        {"platform": "x", "text": "Kommunfullmäktigesammanträdesprotokollet publiceras."},
    )
    assert response.status_code == 200
    codes = {a["code"] for a in response.context["advice"]}
    assert any(code.startswith("lix_") for code in codes)
