"""The refetch window: an edit becomes a new version, a deletion is recorded and the archived
copy kept; items outside what the run walked are never taken for deleted."""

import copy
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

from kanalvakt.archive.models import Item
from kanalvakt.capture.runner import poll_interval, run_connection

from .helpers import load_json

pytestmark = pytest.mark.django_db
PAGE = "19292868552"
NOW = datetime(2021, 7, 10, 12, 0, tzinfo=UTC)


def run(connection, http, p1, p2, now=NOW):
    with respx.mock(assert_all_called=False) as router:
        router.get(url__regex=rf"{PAGE}/feed").mock(
            side_effect=[httpx.Response(200, json=p1), httpx.Response(200, json=p2)]
        )
        router.get(url__regex=r"/comments").mock(
            return_value=httpx.Response(200, json={"data": []})
        )
        return run_connection(connection, http=http, now=now)


def test_edits_become_versions_and_deletions_are_recorded(connect, no_sleep):
    page = connect("facebook", "facebookfordevelopers", "facebook", PAGE)
    p1 = load_json("facebook", "feeds_default_fields_p1.json")
    p2 = load_json("facebook", "feeds_default_fields_p2.json")
    for post in p1["data"] + p2["data"]:
        post["from"] = {"id": PAGE, "name": "Facebook for Developers"}
    assert run(page, no_sleep, p1, p2).outcome == "complete"
    assert Item.objects.count() == 10

    later = copy.deepcopy(p1)
    edited_id = later["data"][0]["id"]
    later["data"][0]["message"] = "Rättad text."
    deleted_id = later["data"].pop(1)["id"]
    page.refresh_from_db()
    summary = run(page, no_sleep, later, p2, now=NOW + timedelta(minutes=10))
    assert summary.outcome == "complete"

    edited = Item.objects.get(external_id=edited_id)
    assert edited.version_count == 2 and edited.text == "Rättad text."
    assert edited.versions.order_by("number").first().text != "Rättad text."
    deleted = Item.objects.get(external_id=deleted_id)
    assert deleted.deleted_on_platform_at == NOW + timedelta(minutes=10)
    assert deleted.versions.count() == 1 and deleted.text  # the archived copy stays
    # p2's posts older than the window's start were not marked (they were seen again anyway).
    assert summary.marked_deleted == 1
    assert Item.objects.filter(deleted_on_platform_at__isnull=False).count() == 1


def test_high_traffic_channels_are_polled_every_minute(connect):
    page = connect("facebook", "osbykommun.test", "facebook", PAGE)
    assert poll_interval(page.channel) == timedelta(minutes=10)
    plan = page.channel.current_plan()
    plan.high_traffic = True
    plan.save()
    assert poll_interval(page.channel) == timedelta(minutes=1)


def test_due_connections_are_claimed_once(connect):
    from kanalvakt.capture.runner import claim_due

    page = connect("facebook", "osbykommun.test", "facebook", PAGE)
    assert claim_due() == [page.pk]
    assert claim_due() == []
