"""Shared builders of the moderation tests: a channel, captured comments through the real
archive ingest (which fires the screening signal), and a connection with a token."""

import itertools
from datetime import UTC, datetime

import pytest

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item
from kanalvakt.capture.types import CapturedItem
from kanalvakt.organisation.access import SystemActor

ACTOR = SystemActor("test")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


@pytest.fixture
def capture():
    """capture(channel, "text", …) → the captured comments (Items) under one owner post."""

    def run(channel, *texts, platform=None, owner_post=True, **fields):
        platform = platform or channel.platform.key
        post_id = f"p{next(_ids)}"
        results = []
        if owner_post:
            results.append(
                CapturedItem(
                    platform=platform,
                    external_id=post_id,
                    kind="post",
                    parent_external_id=None,
                    root_external_id=post_id,
                    author_external_id="owner",
                    author_display_name="Osby kommun",
                    author_is_owner=True,
                    text="Välkommen på invigningen av nya torget på lördag!",
                    created_at=T0,
                    raw={"id": post_id},
                )
            )
        ids = []
        for text in texts:
            external_id = fields.get("external_id") or f"{post_id}_c{next(_ids)}"
            ids.append(external_id)
            results.append(
                CapturedItem(
                    platform=platform,
                    external_id=external_id,
                    kind="comment",
                    parent_external_id=fields.get("parent", post_id),
                    root_external_id=fields.get("root", post_id),
                    author_external_id=f"u{next(_ids)}",
                    author_display_name="Anna Andersson",
                    author_is_owner=False,
                    text=text,
                    created_at=T0,
                    raw={"id": external_id, "message": text},
                )
            )
        ingest(channel, results, source="test")
        return list(Item.objects.filter(external_id__in=ids).order_by("pk"))

    return run


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
