"""X "Download your data" archive (directory or .zip).

Reads ``data/tweets.js`` (and ``tweets-part*.js``), ``community-tweet.js`` and
``deleted-tweets.js``: each is ``window.YTD.<name>.part0 = [ {"tweet": …}, … ]``
and is streamed past the JS prefix with ijson, one tweet at a time.

Everything in the archive was written by the account, so every tweet is
``author_is_owner``; retweets ("RT @…") are others' content and are skipped
(R7.5). The archive's ``account.js`` must name the channel's account.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kanalvakt.capture.importers._files import ExportArchive, skip_js_assignment, stream_items
from kanalvakt.capture.normalize._common import MALFORMED, describe, optional_time, parse_time
from kanalvakt.capture.types import (
    CapturedItem,
    CaptureError,
    CaptureResult,
    ChannelIdentity,
    MediaRef,
    Skipped,
)

PLATFORM = "x"
TWEET_FILES = ("tweets.js", "tweets-part*.js", "community-tweet*.js", "deleted-tweets*.js")
# X's pseudo language codes: media only, hashtags only, short, no text, undetermined.
_NO_LANGUAGE = frozenset({"qme", "qht", "qst", "qam", "zxx", "und"})


def iter_import(path: str | Path, identity: ChannelIdentity) -> Iterator[CaptureResult]:
    archive = ExportArchive(path)
    account = _account(archive)
    if account is not None and str(account.get("accountId")) != identity.account_id:
        yield CaptureError(
            PLATFORM,
            None,
            f"archive belongs to account {account.get('accountId')} "
            f"(@{account.get('username')}), not to this channel ({identity.account_id})",
            account,
        )
        return
    handle = (account or {}).get("username") or identity.handle
    names = [
        name for pattern in TWEET_FILES for name in archive.find(pattern) if "headers" not in name
    ]
    for name in dict.fromkeys(names):
        with archive.open(name) as stream:
            for wrapper in stream_items(skip_js_assignment(stream), "item"):
                yield _from_wrapper(wrapper, identity, handle)


def _account(archive: ExportArchive) -> dict[str, Any] | None:
    for name in archive.find("account.js"):
        with archive.open(name) as stream:
            for wrapper in stream_items(skip_js_assignment(stream), "item"):
                return wrapper.get("account")
    return None


def _from_wrapper(wrapper: Any, identity: ChannelIdentity, handle: str | None) -> CaptureResult:
    tweet = wrapper.get("tweet") if isinstance(wrapper, dict) else None
    try:
        if not isinstance(tweet, dict):
            raise ValueError("entry has no 'tweet' object")
        return tweet_to_item(tweet, identity, handle)
    except MALFORMED as exc:
        tweet_id = tweet.get("id_str") if isinstance(tweet, dict) else None
        return CaptureError(PLATFORM, tweet_id, describe(exc), wrapper)


def tweet_to_item(
    tweet: dict[str, Any], identity: ChannelIdentity, handle: str | None
) -> CapturedItem | Skipped:
    tweet_id = str(tweet["id_str"])
    text = tweet["full_text"]
    if not isinstance(text, str):
        raise TypeError("full_text is not text")
    if text.startswith("RT @"):
        return Skipped("retweet of another account's post (R7.5)", tweet_id)
    edit = tweet.get("edit_info") or {}
    # An edit is its own tweet; initialTweetId ties it to the original.
    initial = (edit.get("edit") or {}).get("initialTweetId")
    stable_id = str(initial) if initial else tweet_id
    created = parse_time(tweet["created_at"])
    parent = tweet.get("in_reply_to_status_id_str")
    lang = tweet.get("lang")
    return CapturedItem(
        platform=PLATFORM,
        external_id=stable_id,
        kind="reply" if parent else "post",
        parent_external_id=parent,
        # The archive has no conversation id; the root of a reply is found by
        # walking parents once they are stored.
        root_external_id=None if parent else stable_id,
        author_external_id=identity.account_id,
        author_display_name=None,
        author_handle=handle,
        author_is_owner=True,
        text=text,
        language=None if lang in _NO_LANGUAGE else lang,
        created_at=created,
        edited_at=created if stable_id != tweet_id else None,
        deleted_at=optional_time(tweet.get("deleted_at")),
        url=f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
        media=tuple(_media(tweet)),
        raw=tweet,
    )


def _media(tweet: dict[str, Any]) -> Iterator[MediaRef]:
    entities = tweet.get("extended_entities") or tweet.get("entities") or {}
    for media in entities.get("media") or []:
        url = media.get("media_url_https") or media.get("media_url")
        if url:
            yield MediaRef(url, None, media.get("id_str"))
