"""Mastodon normaliser on recorded HTTP interactions (Mastodon.py vcrpy cassettes)."""

import pytest

from capture.helpers import assert_aware_utc, assert_json_raw, cassette_body, cassette_header, split
from kanalvakt.capture.normalize import mastodon
from kanalvakt.capture.types import ChannelIdentity

TEST_ACCOUNT = ChannelIdentity("mastodon", "117020565966271181", "mastodonpy_test")
ADMIN = ChannelIdentity("mastodon", "117020565693913441", "admin")
HALCY = ChannelIdentity("mastodon", "43", "halcy")


@pytest.mark.req("R7.5", "R7.2")
def test_home_timeline_keeps_own_and_addressed_statuses_only():
    statuses = cassette_body("test_home_tl.yaml", 1)
    items, errors, skipped = split(mastodon.items_from_statuses(statuses, TEST_ACCOUNT))
    assert len(items) + len(skipped) == len(statuses) and not errors
    for item in items:
        raw = item.raw
        mentioned = any(m["id"] == TEST_ACCOUNT.account_id for m in raw["mentions"])
        assert item.author_is_owner == (raw["account"]["id"] == TEST_ACCOUNT.account_id)
        assert item.author_is_owner or mentioned
        assert_aware_utc(item)
        assert_json_raw(item)
    for skip in skipped:
        raw = next(s for s in statuses if s["id"] == skip.external_id)
        assert raw["account"]["id"] != TEST_ACCOUNT.account_id and "R7.5" in skip.reason
    kinds = {i.external_id: i.kind for i in items}
    assert kinds["117020592129111851"] == "direct_message"  # admin → us, visibility direct
    assert kinds["117020588169351887"] == "post"  # public mention of us
    assert mastodon.next_max_id(cassette_header("test_home_tl.yaml", 1, "Link")) == (
        "117020574694606796"
    )


def test_html_content_kept_and_plain_text_extracted():
    statuses = cassette_body("test_home_tl.yaml", 1)
    items, _, _ = split(mastodon.items_from_statuses(statuses, TEST_ACCOUNT))
    mention = next(i for i in items if i.external_id == "117020588169351887")
    assert mention.text.startswith('<p><span class="h-card"')
    assert mention.text_plain == "@mastodonpy_test beep beep I'm a jeep"


def test_context_descendants_of_an_own_thread():
    context = cassette_body("test_entity_context.yaml", 0)
    items, _, _ = split(mastodon.items_from_context(context, HALCY, status_id="110446983926957470"))
    assert len(items) == len(context["ancestors"]) + len(context["descendants"])
    root, reply = items
    assert root.kind == "post" and root.root_external_id == root.external_id
    assert reply.kind == "reply" and reply.parent_external_id == "110446983926957470"
    assert reply.root_external_id == root.external_id and reply.language == "de"
    items, _, skipped = split(
        mastodon.items_from_context(context, ADMIN, status_id="110446983926957470")
    )
    assert not items and len(skipped) == 2


def test_notifications_mentions_and_gone_statuses():
    notes = cassette_body("test_notifications_mentions_only.yaml", 1)
    (item,) = mastodon.items_from_notifications(notes, TEST_ACCOUNT)
    assert item.external_id == notes[0]["status"]["id"] and not item.author_is_owner
    real = cassette_body("test_entity_notification.yaml", 0)
    items, errors, skipped = split(mastodon.items_from_notifications(real, HALCY))
    with_status = [n for n in real if n.get("status")]
    assert len(items) == len(with_status) and not errors
    assert len(skipped) == len(real) - len(with_status)
    assert items[0].kind == "direct_message"


@pytest.mark.req("R7.5")
def test_conversations_only_those_with_the_channel():
    conversations = cassette_body("test_conversations.yaml", 2)
    items, _, skipped = split(mastodon.items_from_conversations(conversations, ADMIN))
    assert [i.external_id for i in items] == ["117020593780198542"]
    assert [s.external_id for s in skipped] == ["117020588388552703"]


def test_edit_history_becomes_versions_of_one_item():
    status = cassette_body("test_status_edit.yaml", 3)
    history = cassette_body("test_status_edit.yaml", 4)
    author = ChannelIdentity("mastodon", status["account"]["id"], status["account"]["acct"])
    items, errors, _ = split(mastodon.versions_from_history(history, author, status=status))
    assert len(items) == len(history) and not errors
    assert {i.external_id for i in items} == {status["id"]}
    original, edit = items
    assert original.edited_at is None and "VS Code" in original.text_plain
    assert edit.edited_at is not None and "Kate" in edit.text_plain
    assert original.created_at == edit.created_at
    assert original.content_hash() != edit.content_hash()


def test_malformed_status_becomes_error():
    statuses = cassette_body("test_home_tl.yaml", 1)
    del statuses[0]["account"]
    statuses[2]["created_at"] = None
    items, errors, _ = split(mastodon.items_from_statuses(statuses, TEST_ACCOUNT))
    assert [e.external_id for e in errors] == [statuses[0]["id"], statuses[2]["id"]]
    assert len(items) == 6
