"""Facebook and Instagram connectors through the real HTTP client (httpx), with respx
answering the Graph API endpoints with the recorded responses in fixtures/."""

import json
import re
from datetime import UTC, datetime

import httpx
import pytest
import respx
from django.core import mail

from kanalvakt.archive.models import Item, PublicRecordStatus
from kanalvakt.capture.models import ChannelConnection
from kanalvakt.capture.runner import run_connection

from .helpers import load_json

pytestmark = pytest.mark.django_db
PAGE = "19292868552"
NOW = datetime(2021, 7, 10, 12, 0, tzinfo=UTC)
GRAPH = re.compile(r"https://graph\.facebook\.com/v[\d.]+/")


def json_response(body, status=200, headers=None):
    return httpx.Response(status, json=body, headers=headers)


@pytest.fixture
def page(connect):
    return connect("facebook", "facebookfordevelopers", "facebook", PAGE, token="EAAB-secret-token")


def feed_routes(router, first=None):
    pages = [first] if first else []
    pages += [json_response(load_json("facebook", "feeds_default_fields_p1.json"))]
    pages += [json_response(load_json("facebook", "feeds_default_fields_p2.json"))]
    route = router.get(url__regex=rf"{GRAPH.pattern}{PAGE}/feed").mock(side_effect=pages)
    return route


def test_feed_pages_are_walked_and_stored_with_their_comments(page, no_sleep):
    with respx.mock(assert_all_called=False) as router:
        feed = feed_routes(router)
        router.get(url__regex=r"/comments").mock(
            return_value=json_response({"data": [], "paging": {}})
        )
        summary = run_connection(page, http=no_sleep, now=NOW)
    assert summary.outcome == "complete", summary.detail
    assert feed.call_count == 2
    # The second call followed Graph's next link, signed again, the stored link never had it.
    second = feed.calls[1].request.url
    assert (
        second.params["after"] == "after" and second.params["access_token"] == "EAAB-secret-token"
    )
    posts = Item.objects.filter(kind="post")
    assert posts.count() == 10
    # The recorded feed was fetched without the ``from`` field: an author the response does
    # not name is never assumed to be the municipality.
    assert set(posts.values_list("public_record_status", flat=True)) == {
        PublicRecordStatus.RECEIVED
    }
    page.refresh_from_db()
    assert page.cursor == {} and page.last_success_at is not None
    assert page.next_poll_at == NOW + (page.next_poll_at - NOW)  # scheduled


def test_the_token_is_stored_sealed_never_in_clear(page):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM capture_channelconnection")
        row = cursor.fetchone()
    assert b"EAAB-secret-token" not in repr(row).encode()
    assert page.has_token and page.token_kek_id
    from kanalvakt.capture.tokens import open_token

    assert open_token(page) == "EAAB-secret-token"


def test_rate_limit_is_honoured_then_the_run_goes_on(page, no_sleep):
    limited = json_response(
        {"error": {"message": "(#4) Application request limit reached", "code": 4}},
        status=429,
        headers={"Retry-After": "7"},
    )
    with respx.mock(assert_all_called=False) as router:
        feed_routes(router, first=limited)
        router.get(url__regex=r"/comments").mock(return_value=json_response({"data": []}))
        summary = run_connection(page, http=no_sleep, now=NOW)
    assert summary.outcome == "complete"
    assert 7 <= no_sleep.waits[0] <= 7.7


def test_meta_usage_headers_slow_the_run_down(page, no_sleep):
    usage = json.dumps({"call_count": 85, "total_time": 10, "total_cputime": 5})
    busy = json_response(
        load_json("facebook", "feeds_default_fields_p1.json"), headers={"X-App-Usage": usage}
    )
    with respx.mock(assert_all_called=False) as router:
        router.get(url__regex=rf"{GRAPH.pattern}{PAGE}/feed").mock(
            side_effect=[busy, json_response(load_json("facebook", "feeds_default_fields_p2.json"))]
        )
        router.get(url__regex=r"/comments").mock(return_value=json_response({"data": []}))
        assert run_connection(page, http=no_sleep, now=NOW).outcome == "complete"
    assert no_sleep.waits and no_sleep.waits[0] > 0


def test_server_errors_are_retried_with_back_off(page, no_sleep):
    with respx.mock(assert_all_called=False) as router:
        feed_routes(router, first=httpx.Response(503))
        router.get(url__regex=r"/comments").mock(return_value=json_response({"data": []}))
        assert run_connection(page, http=no_sleep, now=NOW).outcome == "complete"
    assert no_sleep.waits and no_sleep.waits[0] >= 1


def test_a_persistent_outage_keeps_the_queue_for_the_next_run(page, no_sleep):
    with respx.mock(assert_all_called=False) as router:
        router.get(url__regex=rf"{GRAPH.pattern}{PAGE}/feed").mock(
            side_effect=[json_response(load_json("facebook", "feeds_default_fields_p1.json"))]
            + [httpx.Response(502)] * 10
        )
        router.get(url__regex=r"/comments").mock(return_value=json_response({"data": []}))
        summary = run_connection(page, http=no_sleep, now=NOW)
    assert summary.outcome == "failed"
    page.refresh_from_db()
    assert (
        page.cursor["queue"][0]["s"] == "feed" and "after=after" in page.cursor["queue"][0]["page"]
    )
    assert "access_token" not in json.dumps(page.cursor)
    assert page.state == ChannelConnection.State.OK and "502" in page.last_error


def test_expired_token_breaks_the_connection_and_mails_the_owner(
    page, no_sleep, django_capture_on_commit_callbacks
):
    expired = json_response(
        {
            "error": {
                "message": "Error validating access token: Session has expired on Friday, "
                "09-Jul-21 10:00:00 PDT.",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
                "fbtrace_id": "AbCdEf",
            }
        },
        status=400,
    )
    with respx.mock(assert_all_called=False) as router:
        router.get(url__regex=rf"{GRAPH.pattern}{PAGE}/feed").mock(return_value=expired)
        with django_capture_on_commit_callbacks(execute=True):
            summary = run_connection(page, http=no_sleep, now=NOW)
    assert summary.outcome == "broken"
    page.refresh_from_db()
    assert page.state == ChannelConnection.State.BROKEN and "expired" in page.last_error
    owner = page.channel.responsible
    (message,) = [m for m in mail.outbox if owner.email in m.to]
    assert page.channel.display_name in message.subject
    from kanalvakt.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="capture.connection.broken").count() == 1
    # A broken connection is not polled until a new token is deposited.
    assert run_connection(page, http=no_sleep, now=NOW).outcome == "skipped"
    from kanalvakt.capture.actions import deposit_token
    from kanalvakt.organisation.access import SystemActor

    deposit_token(SystemActor("test"), page.channel, token="EAAB-new")
    page.refresh_from_db()
    assert page.state == ChannelConnection.State.OK and page.token_version == 2


@pytest.mark.req("R7.5")
def test_posts_of_another_page_or_group_are_never_stored(connect, no_sleep):
    group = connect("facebook", "somegroup.test", "facebook", "99999")
    with respx.mock(assert_all_called=False) as router:
        router.get(url__regex=r"/feed").mock(
            side_effect=[
                json_response(load_json("facebook", "group_feed_p1.json")),
                json_response({"data": []}),
            ]
        )
        summary = run_connection(group, http=no_sleep, now=datetime(2021, 7, 12, tzinfo=UTC))
    assert summary.report.skipped_count > 0
    assert not Item.objects.exists()


def test_instagram_media_and_comments(connect, no_sleep):
    account = connect("instagram", "ikroskun", "instagram", "17841406338772941")
    media = load_json("instagram", "medias_p1.json")
    with respx.mock(assert_all_called=False) as router:
        router.get(url__regex=r"/17841406338772941/media").mock(
            side_effect=[json_response(media), json_response({"data": []})]
        )
        comments = router.get(url__regex=r"/\d+/comments").mock(
            side_effect=[
                json_response(load_json("instagram", "comments_p1.json")),
                json_response(load_json("instagram", "comments_p2.json")),
            ]
            + [json_response({"data": []})] * 5
        )
        summary = run_connection(account, http=no_sleep, now=datetime(2021, 8, 14, tzinfo=UTC))
    assert summary.outcome == "complete", summary.detail
    assert comments.call_count >= 2
    assert Item.objects.filter(kind="post").count() == 2
    assert Item.objects.filter(kind="comment").count() == 4
    assert set(
        Item.objects.filter(kind="comment").values_list("public_record_status", flat=True)
    ) == {PublicRecordStatus.RECEIVED}


def test_comment_pages_of_a_busy_post_follow_graph_paging(page, no_sleep):
    post = f"{PAGE}_10158407654328553"
    with respx.mock(assert_all_called=False) as router:
        router.get(url__regex=rf"{PAGE}/feed").mock(
            return_value=json_response(
                {
                    "data": [
                        {
                            "id": post,
                            "message": "Nytt inlägg",
                            "created_time": "2021-08-10T10:00:00+0000",
                            "from": {"id": PAGE, "name": "Facebook for Developers"},
                            "comments": {
                                "data": [],
                                "paging": {
                                    "next": f"https://graph.facebook.com/v11.0/{post}/comments?access_token=x&after=0"
                                },
                            },
                        }
                    ]
                }
            )
        )
        comments = router.get(url__regex=rf"{post}/comments").mock(
            side_effect=[
                json_response(load_json("facebook", "comments_p1.json")),
                json_response(load_json("facebook", "comments_p2.json")),
            ]
        )
        summary = run_connection(page, http=no_sleep, now=datetime(2021, 8, 15, tzinfo=UTC))
    assert summary.outcome == "complete", summary.detail
    assert comments.call_count == 2
    assert "access_token=x" not in str(comments.calls[0].request.url)
    stored = Item.objects.exclude(kind="post")
    recorded = sum(len(load_json("facebook", f"comments_p{n}.json")["data"]) for n in (1, 2))
    assert stored.count() == recorded
    assert all(i.root and i.root.external_id == post for i in stored)
    own_post = Item.objects.get(kind="post")
    assert own_post.public_record_status == PublicRecordStatus.DRAWN_UP
    page.channel.refresh_from_db()
    assert page.channel.last_own_post_at == own_post.created_on_platform_at
