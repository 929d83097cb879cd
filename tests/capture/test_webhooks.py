"""Meta webhooks: handshake, signatures checked in constant time, refusals counted,
duplicates harmless, a delivery captured and screened in its own request (the 2-second
target is measured by bench/webhook_screening.py against the real server)."""

import hashlib
import hmac
import json

import pytest

from kanalvakt.archive.models import Item, PublicRecordStatus
from kanalvakt.archive.signals import items_captured
from kanalvakt.capture.models import WebhookEndpoint
from kanalvakt.capture.webhooks import signature_valid

pytestmark = pytest.mark.django_db
SECRET = "meta-app-secret"
PAGE = "19292868552"
URL = "/webhooks/meta/"


@pytest.fixture(autouse=True)
def meta_settings(settings):
    settings.META_APP_SECRET = SECRET
    settings.META_WEBHOOK_VERIFY_TOKEN = "osby-verify"


@pytest.fixture
def page(connect):
    return connect("facebook", "osbykommun.test", "facebook", PAGE)


def sign(body: bytes, secret=SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def comment_delivery(
    message="Varför är biblioteket stängt på lördag?", comment="111_222", verb="add"
):
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": PAGE,
                    "time": 1772442000,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "from": {"id": "5550001", "name": "Karin Svensson"},
                                "post_id": f"{PAGE}_111",
                                "comment_id": comment,
                                "parent_id": f"{PAGE}_111",
                                "created_time": 1772442000,
                                "item": "comment",
                                "verb": verb,
                                "message": message,
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()


def post(client, body, signature):
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature} if signature else {}
    return client.post(URL, data=body, content_type="application/json", **headers)


def test_subscription_handshake(client):
    ok = client.get(
        URL,
        {"hub.mode": "subscribe", "hub.verify_token": "osby-verify", "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"}
    )
    assert wrong.status_code == 403


def test_signature_check():
    body = b'{"object":"page"}'
    assert signature_valid(body, sign(body), SECRET)
    assert not signature_valid(body, sign(body, "other"), SECRET)
    assert not signature_valid(body + b" ", sign(body), SECRET)
    assert not signature_valid(body, None, SECRET)
    assert not signature_valid(body, sign(body), "")  # no secret configured: refuse all


def test_unsigned_and_wrongly_signed_deliveries_are_refused_and_counted(client, page):
    body = comment_delivery()
    assert post(client, body, None).status_code == 403
    assert post(client, body, sign(body, "forged")).status_code == 403
    assert post(client, body, "sha256=" + "0" * 64).status_code == 403
    endpoint = WebhookEndpoint.objects.get(key="meta")
    assert (endpoint.refused_unsigned, endpoint.refused_bad_signature) == (1, 2)
    assert not Item.objects.exists()
    from kanalvakt.audit.models import AuditEvent

    # Refusals are audited, at most one event a minute (the counters keep the numbers).
    assert AuditEvent.objects.filter(action="capture.webhook.refused").count() == 1


@pytest.mark.req("R4.1")
@pytest.mark.req("R3.1")
def test_a_signed_comment_is_captured_and_screened_in_its_request(client, page):
    screened = []

    def screen(sender, channel, item_ids, source, **kwargs):
        screened.append((source, list(item_ids)))

    items_captured.connect(screen)
    try:
        body = comment_delivery()
        response = post(client, body, sign(body))
    finally:
        items_captured.disconnect(screen)
    assert response.status_code == 200
    comment = Item.objects.get(external_id="111_222")
    assert comment.text == "Varför är biblioteket stängt på lördag?"
    assert comment.public_record_status == PublicRecordStatus.RECEIVED
    assert comment.author_display_name == "Karin Svensson"
    assert screened == [("webhook", [comment.pk])]  # before the response, not later
    assert json.loads(comment.versions.get().raw_json)["verb"] == "add"  # as delivered
    page.refresh_from_db()
    assert page.webhook_deliveries == 1


def test_duplicate_deliveries_are_harmless_and_an_edit_is_a_version(client, page):
    body = comment_delivery()
    for _ in range(3):
        assert post(client, body, sign(body)).status_code == 200
    assert Item.objects.count() == 1 and Item.objects.get().version_count == 1
    edited = comment_delivery("Varför är biblioteket stängt på lördagar?", verb="edited")
    post(client, edited, sign(edited))
    assert Item.objects.get().version_count == 2


def test_removal_keeps_the_archived_copy(client, page):
    body = comment_delivery()
    post(client, body, sign(body))
    removed = comment_delivery(verb="remove")
    post(client, removed, sign(removed))
    comment = Item.objects.get()
    assert comment.deleted_on_platform_at is not None
    assert comment.text and comment.versions.count() == 1


def test_instagram_comment_delivery(client, connect):
    connect("instagram", "osbykommun", "instagram", "17841405309211844")
    body = json.dumps(
        {
            "object": "instagram",
            "entry": [
                {
                    "id": "17841405309211844",
                    "time": 1772442000,
                    "changes": [
                        {
                            "field": "comments",
                            "value": {
                                "from": {"id": "232323232", "username": "osbybo"},
                                "media": {"id": "123123123", "media_product_type": "FEED"},
                                "id": "17865799348089039",
                                "text": "När öppnar badet?",
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    assert post(client, body, sign(body)).status_code == 200
    comment = Item.objects.get(external_id="17865799348089039")
    assert comment.kind == "comment" and comment.author_handle == "osbybo"


def test_deliveries_for_unknown_pages_are_ignored(client, page):
    body = comment_delivery().replace(PAGE.encode(), b"424242")
    assert post(client, body, sign(body)).status_code == 200
    assert not Item.objects.exists()


@pytest.mark.req("R4.1")
def test_a_flagged_comment_is_in_the_moderation_queue_when_the_delivery_is_answered(client, page):
    from kanalvakt.moderation.models import ModerationCase

    body = comment_delivery(message="Du är en jävla idiot, Karin.", comment="111_333")
    assert post(client, body, sign(body)).status_code == 200
    case = ModerationCase.objects.get(item__external_id="111_333")
    assert case.state == ModerationCase.State.OPEN
