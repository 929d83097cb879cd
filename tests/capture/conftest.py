import pytest

from kanalvakt.organisation.access import SystemActor

ACTOR = SystemActor("test")


@pytest.fixture
def connect(db, settings, tmp_path):
    """connect(platform, handle, connector, account_id, token=..., options=...) → connection."""
    settings.CUSTODY_KEY_FILE = tmp_path / "custody.key"
    from kanalvakt.capture.actions import configure_connection, deposit_token
    from registry.helpers import make_channel

    def make(platform, handle, connector, account_id, *, token="test-token", options=None, **kw):  # noqa: S107
        channel = make_channel(platform=platform, handle=handle, **kw)
        configure_connection(
            ACTOR, channel, connector=connector, account_id=account_id, options=options or {}
        )
        if token:
            deposit_token(ACTOR, channel, token=token)
        from kanalvakt.capture.models import ChannelConnection

        return ChannelConnection.objects.select_related("channel__platform").get(channel=channel)

    return make


@pytest.fixture
def no_sleep():
    from kanalvakt.capture.connectors.http import PlatformHTTP

    waits = []
    http = PlatformHTTP(sleep=waits.append)
    http.waits = waits
    yield http
    http.close()
