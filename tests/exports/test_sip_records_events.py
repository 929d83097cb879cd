"""PREMIS events from the records app: a disposed item (tombstone) gives a deletion event
with its decision and destroyed hashes; an item outside the period gives none."""

from datetime import UTC, datetime, timedelta

import pytest

from kanalvakt.archive.ingest import ingest
from kanalvakt.capture.types import CapturedItem
from kanalvakt.exports.premis import _event
from kanalvakt.exports.sip_records_events import records_events
from kanalvakt.records.retention_models import DisposalRun, Tombstone
from registry.helpers import make_channel

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_tombstone_becomes_a_deletion_event(settings, tmp_path):
    settings.ARCHIVE_SIGNING_KEY_FILE = tmp_path / "keys" / "archive-signing.pem"
    channel = make_channel(platform="facebook", handle="osbykommun.premis")
    ingest(channel, [CapturedItem(
        platform="facebook", external_id=f"1_{n}", kind="post", parent_external_id=None,
        root_external_id=f"1_{n}", author_external_id="111", author_display_name="Osby kommun",
        author_is_owner=True, text=f"Inlägg {n}", created_at=T0 + timedelta(days=40 * n),
        raw={"id": f"1_{n}"},
    ) for n in range(2)], source="test")  # fmt: skip
    run = DisposalRun.objects.create(as_of=T0)
    for item in channel.items.all():
        Tombstone.objects.create(
            item=item, channel=channel, platform=item.platform, external_id=item.external_id,
            kind=item.kind, version_hashes={"1": "ab" * 32}, created_on_platform_at=item
            .created_on_platform_at, captured_at=item.captured_at, last_activity_at=T0,
            run=run, retention_class_name="Tillfälliga inlägg", decision_reference="KS 2026/7",
        )  # fmt: skip

    events = list(records_events(channel, T0 - timedelta(days=1), T0 + timedelta(days=30)))
    assert [event.type for event in events] == ["deletion"]
    text = _event(events[0])
    assert "KS 2026/7" in text and "ab" * 32 in text and "Tillfälliga inlägg" in text
