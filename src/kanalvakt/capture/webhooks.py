"""Meta webhooks (Facebook page ``feed``, Instagram ``comments``): near-real-time capture.

GET answers the subscription handshake. POST deliveries are accepted only with a valid
``X-Hub-Signature-256`` (HMAC-SHA256 of the exact body under the app secret, compared in
constant time); unsigned or wrongly signed ones are refused and counted. An accepted change
is normalised by the same code as polling, upserted (a duplicate delivery changes nothing)
and handed to screening before the response is sent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kanalvakt.archive.ingest import ingest_batch
from kanalvakt.archive.models import Item
from kanalvakt.capture.actions import record_webhook_refusal, refusal_due_for_audit
from kanalvakt.capture.models import ChannelConnection, WebhookEndpoint
from kanalvakt.capture.normalize import facebook, instagram
from kanalvakt.capture.normalize._common import MALFORMED, describe, parse_time
from kanalvakt.capture.runner import identity_for
from kanalvakt.capture.types import CapturedItem, CaptureError, CaptureResult
from kanalvakt.core.views_access import public
from kanalvakt.organisation.access import SystemActor

logger = logging.getLogger("kanalvakt.capture")
ENDPOINT = "meta"
SIGNATURE_HEADER = "HTTP_X_HUB_SIGNATURE_256"
FEED_POST_ITEMS = frozenset({"status", "post", "photo", "video", "share"})


def signature_valid(body: bytes, header: str | None, secret: str) -> bool:
    if not header or not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request):
    if request.method == "GET":
        return _handshake(request)
    body = request.body
    header = request.META.get(SIGNATURE_HEADER)
    if not signature_valid(body, header, settings.META_APP_SECRET):
        _count_refusal("unsigned" if not header else "bad_signature")
        return HttpResponseForbidden("invalid signature")
    WebhookEndpoint.objects.get_or_create(key=ENDPOINT)
    WebhookEndpoint.objects.filter(key=ENDPOINT).update(accepted=F("accepted") + 1)
    try:
        delivery = json.loads(body)
        entries = delivery["entry"]
        kind = delivery.get("object")
    except (ValueError, KeyError, TypeError):
        return HttpResponse("ignored: not a Meta delivery", status=200)
    for entry in entries if isinstance(entries, list) else []:
        _handle_entry(kind, entry)
    return HttpResponse("ok")


def _handshake(request):
    token = settings.META_WEBHOOK_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (
        request.GET.get("hub.mode") == "subscribe"
        and token
        and hmac.compare_digest(given.encode(), token.encode())
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden("verification failed")


def _count_refusal(why: str) -> None:
    now = timezone.now()
    field = "refused_unsigned" if why == "unsigned" else "refused_bad_signature"
    WebhookEndpoint.objects.get_or_create(key=ENDPOINT)
    WebhookEndpoint.objects.filter(key=ENDPOINT).update(
        **{field: F(field) + 1, "last_refused_at": now}
    )
    endpoint = WebhookEndpoint.objects.get(key=ENDPOINT)
    if refusal_due_for_audit(endpoint, now):
        claimed = WebhookEndpoint.objects.filter(
            pk=endpoint.pk, last_refusal_audited_at=endpoint.last_refusal_audited_at
        ).update(last_refusal_audited_at=now)
        if claimed:
            record_webhook_refusal(SystemActor("webhook"), endpoint, why=why)
    logger.warning("Refused a Meta webhook delivery: %s", why)


def _handle_entry(kind, entry) -> None:
    if not isinstance(entry, dict):
        return
    connector = {"page": "facebook", "instagram": "instagram"}.get(kind)
    account_id = str(entry.get("id", ""))
    connection = (
        ChannelConnection.objects.select_related("channel__platform")
        .filter(connector=connector, account_id=account_id)
        .exclude(state=ChannelConnection.State.DISABLED)
        .first()
    )
    if connection is None:
        logger.info("Meta webhook for unknown %s account %s ignored", kind, account_id)
        return
    ChannelConnection.objects.filter(pk=connection.pk).update(
        webhook_deliveries=F("webhook_deliveries") + 1, last_webhook_at=timezone.now()
    )
    identity = identity_for(connection, connector)
    results: list[CaptureResult] = []
    for change in entry.get("changes") or []:
        value = change.get("value") if isinstance(change, dict) else None
        if not isinstance(value, dict):
            continue
        try:
            if connector == "facebook" and change.get("field") == "feed":
                results += _feed_change(value, identity)
            elif connector == "instagram" and change.get("field") == "comments":
                results += _instagram_comment(value, identity, entry.get("time"))
        except MALFORMED as exc:
            results.append(CaptureError(connector, None, f"webhook: {describe(exc)}", value))
    if results:
        ingest_batch(connection.channel, results, source="webhook")


def _feed_change(value: dict, identity) -> list[CaptureResult]:
    item, verb = value.get("item"), value.get("verb")
    external_id = value.get("comment_id") if item == "comment" else value.get("post_id")
    if verb in ("remove", "hide", "unhide"):
        _mark(identity.platform, external_id, verb)
        return []
    if item == "comment":
        post_id = value["post_id"]
        parent = value.get("parent_id")
        raw = {
            "id": value["comment_id"],
            "message": value.get("message", ""),
            "created_time": value["created_time"],
            "from": value.get("from") or {},
            "parent": {"id": parent} if parent and parent != post_id else None,
        }
        found = facebook.items_from_comments_page(
            {"data": [raw]}, identity, post_external_id=post_id
        )
    elif item in FEED_POST_ITEMS:
        raw = {
            "id": value["post_id"],
            "message": value.get("message", ""),
            "created_time": value["created_time"],
            "from": value.get("from") or {},
        }
        found = facebook.items_from_feed_page({"data": [raw]}, identity)
    else:
        return []  # reactions, likes: no communication
    return [_with_raw(r, value) for r in found]


def _instagram_comment(value: dict, identity, entry_time) -> list[CaptureResult]:
    author = value.get("from") or {}
    raw = {
        "id": value["id"],
        "text": value.get("text", ""),
        # The delivery has no comment timestamp; the entry's time is when it happened.
        "timestamp": (parse_time(entry_time) if entry_time else timezone.now()).isoformat(),
        "from": author,
        "username": author.get("username"),
        "parent_id": value.get("parent_id"),
    }
    media_id = (value.get("media") or {})["id"]
    found = instagram.items_from_comments_page({"data": [raw]}, identity, media_id=media_id)
    return [_with_raw(r, value) for r in found]


def _with_raw(result: CaptureResult, value: dict) -> CaptureResult:
    """Archive the delivery as received, not the shape it was normalised through."""
    if isinstance(result, CapturedItem):
        return dataclasses.replace(result, raw=value)
    return result


def _mark(platform: str, external_id, verb: str) -> None:
    if not external_id:
        return
    items = Item.objects.filter(platform=platform, external_id=str(external_id))
    if verb == "remove":
        items.filter(deleted_on_platform_at__isnull=True).update(
            deleted_on_platform_at=timezone.now()
        )
    else:
        items.update(hidden_on_platform=verb == "hide")
