"""Per-channel dialog settings (R3.5) and recording a forwarded answer in the UI (R3.4)."""

import pytest

from kanalvakt.audit.models import AuditEvent
from kanalvakt.dialog import forward_actions
from kanalvakt.dialog.models import ChannelDialogSettings, Forward
from kanalvakt.organisation.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.req("R3.5")
def test_owner_sets_target_and_signature_and_bad_target_is_refused(channel, make_user, client):
    owner = make_user(Role.ACCOUNT_OWNER)
    channel.responsible = owner.person
    channel.save()
    client.force_login(owner)
    url = f"/intern/dialog/kanal/{channel.pk}/installningar/"
    client.post(url, {"response_target": "snart", "signature_template": ""})
    assert not ChannelDialogSettings.objects.exists()
    client.post(
        url,
        {
            "response_target": "4 timmar",
            "signature_enabled": "on",
            "signature_template": "/{first_name}, bibliotekarie",
        },
    )
    settings = ChannelDialogSettings.objects.get(channel=channel)
    assert settings.response_target == "4 timmar" and settings.signature_enabled
    assert AuditEvent.objects.filter(action="dialog.settings.change").exists()
    client.force_login(make_user(Role.ACCOUNT_OWNER))
    assert client.get(url).status_code == 403


@pytest.mark.req("R3.4")
def test_answer_recorded_in_the_ui_then_closed(channel, capture, make_user, client):
    communicator = make_user(Role.COMMUNICATOR)
    (item,) = capture(channel, "Vem ansvarar för parken?")
    forward = forward_actions.forward_item(
        communicator, item, to_email="park@osby.example", message="Svara gärna."
    )
    client.force_login(communicator)
    client.post(f"/intern/dialog/vidarebefordrad/{forward.pk}/svar/", {"answer": "Parkenheten."})
    forward.refresh_from_db()
    assert forward.state == Forward.State.ANSWERED and forward.answer == "Parkenheten."
    client.post(f"/intern/dialog/vidarebefordrad/{forward.pk}/stang/")
    forward.refresh_from_db()
    assert forward.state == Forward.State.CLOSED
    page = client.get("/intern/dialog/vidarebefordrade/").content.decode()
    assert "Vem ansvarar för parken?" not in page  # closed ones leave the list
