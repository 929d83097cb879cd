"""Shared builders of the moderation tests: a channel, captured comments through the real
archive ingest (which fires the screening signal), and a connection with a token."""

import pytest

from archived_threads import archived_comments
from kanalvakt.organisation.access import SystemActor

ACTOR = SystemActor("test")


@pytest.fixture
def capture():
    """capture(channel, "text", …) → the captured comments (Items) under one owner post."""
    return archived_comments


@pytest.fixture
def channel(db):
    from registry.helpers import make_channel

    return make_channel(platform="facebook", handle="osbykommun.test")


@pytest.fixture
def with_token(settings, tmp_path):
    """with_token(channel, account_id) deposits a platform token for the channel."""
    settings.CUSTODY_KEY_FILE = tmp_path / "custody.key"
    from kanalvakt.capture.actions import configure_connection, deposit_token

    def make(channel, account_id="111", token="test-token"):  # noqa: S107
        configure_connection(ACTOR, channel, connector=channel.platform.key, account_id=account_id)
        deposit_token(ACTOR, channel, token=token)
        return channel

    return make
