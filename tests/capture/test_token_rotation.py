"""Key rotation re-wraps platform access tokens too, so retiring old key versions never
strands a connection (they share custody's key-encryption key)."""

import pytest

from kanalvakt.capture.models import ChannelConnection
from kanalvakt.capture.tokens import open_token
from kanalvakt.custody.actions import rotate_key
from kanalvakt.organisation.access import SystemActor

pytestmark = [pytest.mark.django_db, pytest.mark.req("R6.2")]


def test_token_survives_rotation_and_retirement(connect):
    connection = connect("facebook", "osbykommun", "facebook", "123", token="EAAB-secret-1")
    old_kek = connection.token_kek_id
    report = rotate_key(SystemActor("cli"))
    assert report.failed == [] and report.rewrapped >= 1 and old_kek in report.retired
    connection = ChannelConnection.objects.get(pk=connection.pk)
    assert connection.token_kek_id != old_kek
    assert open_token(connection) == "EAAB-secret-1"
