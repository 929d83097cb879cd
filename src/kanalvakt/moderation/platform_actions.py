"""Carrying a decision out on the platform, preserving first (R4.3).

`execute()` runs three steps, in this order, and records each in `PlatformAction.steps`:

1. preserved  - the item and its thread are in the archive with exactly the versions the
                decision recorded (by construction they are; this proves it, and refuses to
                touch the platform if not);
2. screenshot - an evidence screenshot where the item has an address; a failure is
                recorded and does not stop the removal (the archived item is the evidence);
3. platform   - hide or delete through the platform's API, or a manual task for the owner
                where there is no API (Mastodon, LinkedIn, RSS, …).

Failures are kept on the row and retried by the `moderation-retry` job.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
from django.utils import timezone

from kanalvakt.archive.models import ItemVersion

logger = logging.getLogger(__name__)

GRAPH = "https://graph.facebook.com/v21.0"
YOUTUBE = "https://www.googleapis.com/youtube/v3"
X_API = "https://api.x.com/2"
BSKY_PDS = "https://bsky.social/xrpc"
MAX_ATTEMPTS = 5
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


class NotPreserved(Exception):
    """The archive does not hold what the decision recorded: the platform is not touched."""


class NoToken(Exception):
    pass


def verify_preserved(case) -> None:
    recorded = case.preservation.get("versions", [])
    if not recorded or case.item_id not in {v["item"] for v in recorded}:
        raise NotPreserved("the decision recorded no archived version of the item")
    stored = dict(
        ItemVersion.objects.filter(pk__in=[v["version"] for v in recorded]).values_list(
            "pk", "sha256"
        )
    )
    for entry in recorded:
        if stored.get(entry["version"]) != entry["sha256"]:
            raise NotPreserved(f"archived version {entry['version']} is missing or changed")


def request_screenshot(case) -> str:
    """An evidence screenshot of the item; returns a status line, never raises."""
    item = case.item
    if not item.url:
        return "skipped: the item has no address"
    try:
        from kanalvakt.screenshots.capture import capture_evidence

        shot = capture_evidence(
            item.url,
            f"Bevis före borttagning (moderering, ärende {case.pk})",
            channel=item.channel,
            item_ref=f"{item.platform}:{item.external_id}",
        )
        return f"{shot.status}: screenshot {shot.pk}"
    except Exception as error:  # the archived item is the hard requirement, not the picture
        logger.warning("Evidence screenshot of case %s failed: %s", case.pk, error)
        return f"failed: {error}"[:200]


def _token(channel) -> str:
    from kanalvakt.capture.models import ChannelConnection
    from kanalvakt.capture.tokens import open_token

    connection = ChannelConnection.objects.filter(channel=channel).first()
    if connection is None or not connection.has_token:
        raise NoToken("the channel has no connection with an access token")
    return open_token(connection)


def _check(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise httpx.HTTPStatusError(
            f"{response.status_code}: {response.text[:300]}",
            request=response.request,
            response=response,
        )


def _meta(client, token, item, operation, hide_param):
    url = f"{GRAPH}/{item.external_id}"
    auth = {"Authorization": f"Bearer {token}"}
    if operation == "hide":
        _check(client.post(url, params={hide_param: "true"}, headers=auth))
    else:
        _check(client.delete(url, headers=auth))


def _facebook(client, token, item, operation):
    _meta(client, token, item, operation, "is_hidden")


def _instagram(client, token, item, operation):
    _meta(client, token, item, operation, "hide")


def _youtube(client, token, item, operation):
    # Others' comments cannot be deleted by the channel; "rejected" takes them off the
    # video, "heldForReview" hides them pending review.
    status = "heldForReview" if operation == "hide" else "rejected"
    _check(
        client.post(
            f"{YOUTUBE}/comments/setModerationStatus",
            params={"id": item.external_id, "moderationStatus": status},
            headers={"Authorization": f"Bearer {token}"},
        )
    )


def _x(client, token, item, operation):
    # X lets the conversation owner hide replies, not delete them.
    _check(
        client.put(
            f"{X_API}/tweets/{item.external_id}/hidden",
            json={"hidden": True},
            headers={"Authorization": f"Bearer {token}"},
        )
    )


def _bluesky(client, token, item, operation):
    """Add the reply to the root post's threadgate `hiddenReplies` (no deleting others')."""
    root_uri = item.root_external_id or item.parent_external_id
    if not root_uri or not root_uri.startswith("at://"):
        raise ValueError("no root post to gate")
    repo, _collection, rkey = root_uri.removeprefix("at://").split("/", 2)
    auth = {"Authorization": f"Bearer {token}"}
    params = {"repo": repo, "collection": "app.bsky.feed.threadgate", "rkey": rkey}
    current = client.get(f"{BSKY_PDS}/com.atproto.repo.getRecord", params=params, headers=auth)
    record = {"$type": "app.bsky.feed.threadgate", "post": root_uri}
    if current.status_code == 200:
        record = current.json().get("value", record)
    elif current.status_code not in (400, 404):
        _check(current)
    hidden = list(record.get("hiddenReplies", []))
    if item.external_id not in hidden:
        hidden.append(item.external_id)
    record["hiddenReplies"] = hidden
    record.setdefault("createdAt", timezone.now().strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    _check(
        client.post(
            f"{BSKY_PDS}/com.atproto.repo.putRecord",
            json={**params, "record": record},
            headers=auth,
        )
    )


PLATFORM_CALLS = {
    "facebook": _facebook,
    "instagram": _instagram,
    "youtube": _youtube,
    "x": _x,
    "bluesky": _bluesky,
}


def call_platform(action, client: httpx.Client) -> None:
    item = action.case.item
    PLATFORM_CALLS[action.platform](client, _token(item.channel), item, action.operation)


def _step(action, name: str, detail: str = "") -> None:
    action.steps = [
        *action.steps,
        {"step": name, "at": timezone.now().isoformat(), "detail": detail},
    ]


def execute(action, *, client: httpx.Client | None = None):
    """Run one pending or failed platform action; returns it saved."""
    from kanalvakt.moderation.models import PlatformAction

    case = action.case
    done_steps = {s["step"] for s in action.steps}
    try:
        verify_preserved(case)
    except NotPreserved as error:
        action.state, action.last_error = PlatformAction.State.GAVE_UP, str(error)
        _step(action, "refused", str(error))
        action.save()
        return action
    _step(action, "preserved")
    if "screenshot" not in done_steps:
        action.screenshot_status = request_screenshot(case)
        _step(action, "screenshot", action.screenshot_status)
    if action.platform not in PLATFORM_CALLS:
        action.state = PlatformAction.State.MANUAL
        _step(action, "manual", "no API: the owner does it by hand")
        action.save()
        return action
    try:
        _token(case.item.channel)
    except NoToken as error:
        # Without a deposited token the API cannot be used: the owner does it by hand.
        action.state = PlatformAction.State.MANUAL
        _step(action, "manual", str(error))
        action.save()
        return action
    action.attempts += 1
    own_client = client is None
    client = client or httpx.Client(timeout=TIMEOUT)
    try:
        call_platform(action, client)
    except Exception as error:
        action.last_error = str(error)[:1000]
        if action.attempts >= MAX_ATTEMPTS:
            action.state = PlatformAction.State.GAVE_UP
        else:
            action.state = PlatformAction.State.FAILED
            action.next_attempt_at = timezone.now() + timedelta(minutes=5 * 2**action.attempts)
        _step(action, "platform_failed", action.last_error)
    else:
        action.state, action.done_at, action.last_error = (
            PlatformAction.State.DONE,
            timezone.now(),
            "",
        )
        _step(action, "platform", action.operation)
        item = case.item
        if action.operation == "hide" or action.platform in ("x", "bluesky", "youtube"):
            item.hidden_on_platform = True
            item.save(update_fields=["hidden_on_platform"])
        else:
            item.deleted_on_platform_at = action.done_at
            item.save(update_fields=["deleted_on_platform_at"])
    finally:
        if own_client:
            client.close()
    action.save()
    return action
