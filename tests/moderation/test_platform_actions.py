"""Acting on the platform, preserving first (R4.3): each platform's hide/delete call
through httpx (mocked with respx), the manual task where there is no API, retries, and
the proof that the platform is never called before the archive is verified."""

import httpx
import pytest
import respx

from kanalvakt.moderation import platform_actions
from kanalvakt.moderation.actions import decide
from kanalvakt.moderation.models import ModerationCase, PlatformAction
from kanalvakt.moderation.platform_actions import execute
from kanalvakt.organisation.access import SystemActor
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R4.3")]
ACTOR = SystemActor("test")
INSULT = "Du är en jävla idiot."


def _decided(channel, capture, decision="remove", **fields):
    (item,) = capture(channel, INSULT, **fields)
    case = ModerationCase.objects.get(item=item)
    decide(ACTOR, case, decision=decision)  # on_commit not run: the test executes it
    return PlatformAction.objects.get(case=case)


def test_the_platform_is_called_only_after_preserving_and_the_screenshot(
    channel, capture, with_token, monkeypatch
):
    """Fails if the platform call happens before the archive check or the screenshot."""
    with_token(channel)
    action = _decided(channel, capture)
    order = []
    real_verify = platform_actions.verify_preserved

    def spy_verify(case):
        order.append("preserved")
        real_verify(case)

    monkeypatch.setattr(platform_actions, "verify_preserved", spy_verify)
    monkeypatch.setattr(
        platform_actions, "request_screenshot", lambda case: order.append("screenshot") or "ok"
    )
    with respx.mock(assert_all_called=True) as router:
        router.delete(f"{platform_actions.GRAPH}/{action.case.item.external_id}").mock(
            side_effect=lambda request: order.append("platform") or httpx.Response(200)
        )
        execute(action)
    assert order == ["preserved", "screenshot", "platform"]
    assert action.state == "done"
    assert [s["step"] for s in action.steps] == ["preserved", "screenshot", "platform"]
    action.case.item.refresh_from_db()
    assert action.case.item.deleted_on_platform_at is not None


def test_nothing_is_removed_when_the_archive_does_not_hold_the_recorded_version(
    channel, capture, with_token
):
    with_token(channel)
    action = _decided(channel, capture)
    case = action.case
    case.preservation["versions"][0]["sha256"] = "0" * 64
    case.save()
    with respx.mock(assert_all_called=False) as router:
        route = router.route(host="graph.facebook.com")
        execute(action)
    assert not route.called
    assert action.state == "gave_up" and "missing or changed" in action.last_error


def test_facebook_hide(channel, capture, with_token):
    with_token(channel)
    action = _decided(channel, capture, decision="hide")
    with respx.mock() as router:
        route = router.post(f"{platform_actions.GRAPH}/{action.case.item.external_id}").mock(
            return_value=httpx.Response(200, json={"success": True})
        )
        execute(action)
    assert route.calls.last.request.url.params["is_hidden"] == "true"
    assert route.calls.last.request.headers["Authorization"] == "Bearer test-token"
    assert action.state == "done"
    action.case.item.refresh_from_db()
    assert action.case.item.hidden_on_platform


def test_instagram_hide(capture, with_token):
    channel = with_token(make_channel(platform="instagram"))
    action = _decided(channel, capture, decision="hide")
    with respx.mock() as router:
        route = router.post(f"{platform_actions.GRAPH}/{action.case.item.external_id}").mock(
            return_value=httpx.Response(200, json={"success": True})
        )
        execute(action)
    assert route.calls.last.request.url.params["hide"] == "true"


def test_youtube_sets_the_moderation_status(capture, with_token):
    channel = with_token(make_channel(platform="youtube"))
    action = _decided(channel, capture)
    with respx.mock() as router:
        route = router.post(f"{platform_actions.YOUTUBE}/comments/setModerationStatus").mock(
            return_value=httpx.Response(204)
        )
        execute(action)
    params = route.calls.last.request.url.params
    assert params["id"] == action.case.item.external_id
    assert params["moderationStatus"] == "rejected"
    assert action.state == "done"


def test_x_hides_the_reply(capture, with_token):
    channel = with_token(make_channel(platform="x"))
    action = _decided(channel, capture)
    item_id = action.case.item.external_id
    with respx.mock() as router:
        route = router.put(f"{platform_actions.X_API}/tweets/{item_id}/hidden").mock(
            return_value=httpx.Response(200, json={"data": {"hidden": True}})
        )
        execute(action)
    assert route.calls.last.request.read() == b'{"hidden":true}'
    assert action.state == "done"


def test_bluesky_adds_the_reply_to_the_threadgate(capture, with_token):
    channel = with_token(make_channel(platform="bluesky"), account_id="did:plc:osby")
    root = "at://did:plc:osby/app.bsky.feed.post/3kroot"
    reply = "at://did:plc:other/app.bsky.feed.post/3kreply"
    action = _decided(channel, capture, external_id=reply, parent=root, root=root)
    with respx.mock() as router:
        router.get(f"{platform_actions.BSKY_PDS}/com.atproto.repo.getRecord").mock(
            return_value=httpx.Response(400, json={"error": "RecordNotFound"})
        )
        put = router.post(f"{platform_actions.BSKY_PDS}/com.atproto.repo.putRecord").mock(
            return_value=httpx.Response(200, json={"uri": "at://x", "cid": "y"})
        )
        execute(action)
    body = put.calls.last.request.read()
    import json

    sent = json.loads(body)
    assert sent["repo"] == "did:plc:osby" and sent["rkey"] == "3kroot"
    assert sent["collection"] == "app.bsky.feed.threadgate"
    assert sent["record"]["post"] == root and sent["record"]["hiddenReplies"] == [reply]
    assert action.state == "done"


@pytest.mark.parametrize("platform", ["mastodon", "linkedin"])
def test_platforms_without_an_api_get_a_manual_task(capture, with_token, platform):
    channel = with_token(make_channel(platform=platform))
    action = _decided(channel, capture)
    with respx.mock(assert_all_called=False):
        execute(action)
    assert action.state == "manual"


def test_a_failure_is_kept_visible_and_retried(channel, capture, with_token):
    from kanalvakt.moderation.tasks import retry_platform_actions

    with_token(channel)
    action = _decided(channel, capture)
    url = f"{platform_actions.GRAPH}/{action.case.item.external_id}"
    with respx.mock() as router:
        router.delete(url).mock(return_value=httpx.Response(500, json={"error": {}}))
        execute(action)
    assert action.state == "failed" and "500" in action.last_error
    assert action.attempts == 1 and action.next_attempt_at
    PlatformAction.objects.filter(pk=action.pk).update(next_attempt_at=action.requested_at)
    with respx.mock() as router:
        router.delete(url).mock(return_value=httpx.Response(200, json={"success": True}))
        assert retry_platform_actions.call() == 1
    action.refresh_from_db()
    assert action.state == "done" and action.attempts == 2
    # The screenshot is requested once, not again on every retry.
    assert [s["step"] for s in action.steps].count("screenshot") == 1
