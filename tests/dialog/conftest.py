"""Builders of the dialog tests: captured items through the real archive ingest, which
fires the items_captured signal the dialog subscribes to."""

import itertools
from datetime import UTC, datetime

import pytest

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item
from kanalvakt.capture.types import CapturedItem

# Monday 2 March 2026, 10:00 Stockholm: inside the default Mon–Fri 08–17 watch.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


def captured(platform, external_id, text, *, parent=None, root=None, owner=False, at=T0):
    return CapturedItem(
        platform=platform,
        external_id=external_id,
        kind="post" if parent is None else "comment",
        parent_external_id=parent,
        root_external_id=root or (external_id if parent is None else parent),
        author_external_id="owner" if owner else f"u{next(_ids)}",
        author_display_name="Osby kommun" if owner else "Anna Andersson",
        author_is_owner=owner,
        text=text,
        created_at=at,
        raw={"id": external_id, "message": text},
    )


@pytest.fixture
def channel(db):
    from registry.helpers import make_channel

    return make_channel(platform="facebook", handle=f"osby{next(_ids)}.test")


@pytest.fixture
def capture():
    """capture(channel, "text", …, at=…) → the third-party comments (Items) under a new
    owner post."""

    def run(channel, *texts, at=T0):
        platform = channel.platform.key
        post_id = f"p{next(_ids)}"
        batch = [captured(platform, post_id, "Välkommen till nya torget!", owner=True, at=at)]
        ids = []
        for text in texts:
            ids.append(f"{post_id}_c{next(_ids)}")
            batch.append(captured(platform, ids[-1], text, parent=post_id, at=at))
        ingest(channel, batch, source="test")
        return list(Item.objects.filter(external_id__in=ids).order_by("pk"))

    return run


@pytest.fixture
def reply():
    """reply(question_item, "text", at=…) → the owner's captured reply to it."""

    def run(item, text, at):
        external_id = f"{item.external_id}_r{next(_ids)}"
        ingest(
            item.channel,
            [
                captured(
                    item.platform,
                    external_id,
                    text,
                    parent=item.external_id,
                    root=item.root.external_id,
                    owner=True,
                    at=at,
                )
            ],
            source="test",
        )
        return Item.objects.get(external_id=external_id)

    return run


@pytest.fixture
def with_token(settings, tmp_path):
    """with_token(channel, account_id) deposits a platform token for the channel."""
    settings.CUSTODY_KEY_FILE = tmp_path / "custody.key"
    from kanalvakt.capture.actions import configure_connection, deposit_token
    from kanalvakt.organisation.access import SystemActor

    actor = SystemActor("test")

    def make(channel, account_id="111", token="test-token"):  # noqa: S107
        configure_connection(actor, channel, connector=channel.platform.key, account_id=account_id)
        deposit_token(actor, channel, token=token)
        return channel

    return make
