"""Streaming importers: counts match what each export file contains, counted
independently with json/csv/a plain block scan."""

import csv
import json
import shutil
import zipfile
from collections import Counter

import pytest

from capture.helpers import FIXTURES, assert_aware_utc, assert_json_raw, split
from kanalvakt.capture.importers import (
    bluesky_car,
    linkedin_csv,
    mastodon_archive,
    meta_dyi,
    x_archive,
)
from kanalvakt.capture.importers._car import decode_dag_cbor, iter_blocks, read_header
from kanalvakt.capture.types import ChannelIdentity

X_ACCOUNT = ChannelIdentity("x", "1964312974236991488", "milahu104")


def load_js(path):
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :])


def x_expected():
    data = FIXTURES / "x_archive" / "data"
    tweets = [
        w["tweet"]
        for name in ("tweets.js", "community-tweet.js", "deleted-tweets.js")
        for w in load_js(data / name)
    ]
    retweets = [t for t in tweets if t["full_text"].startswith("RT @")]
    return tweets, retweets


@pytest.mark.req("R7.2", "R7.5")
def test_x_archive_directory_counts_and_fields():
    tweets, retweets = x_expected()
    items, errors, skipped = split(x_archive.iter_import(FIXTURES / "x_archive", X_ACCOUNT))
    assert not errors
    assert len(items) == len(tweets) - len(retweets) and len(skipped) == len(retweets)
    assert all(i.author_is_owner for i in items)  # the export is the account's own
    deleted = [i for i in items if i.deleted_at is not None]
    deleted_tweets = load_js(FIXTURES / "x_archive" / "data" / "deleted-tweets.js")
    own_deleted = [w for w in deleted_tweets if not w["tweet"]["full_text"].startswith("RT @")]
    assert len(deleted) == len(own_deleted) == 43
    reply = next(i for i in items if i.external_id == "2029905358261502168")
    assert reply.kind == "reply" and reply.parent_external_id == "2029903943413772741"
    assert reply.language is None  # X's "qme" (media only) is not a language
    for item in items[:50]:
        assert_aware_utc(item)
        assert_json_raw(item)


def test_x_archive_zip_streams_the_same(tmp_path):
    archive = tmp_path / "twitter-archive.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in (FIXTURES / "x_archive" / "data").iterdir():
            out.write(path, f"data/{path.name}")
    from_zip = [r.external_id for r in x_archive.iter_import(archive, X_ACCOUNT)]
    from_dir = [r.external_id for r in x_archive.iter_import(FIXTURES / "x_archive", X_ACCOUNT)]
    assert from_zip == from_dir


@pytest.mark.req("R7.5")
def test_x_archive_of_another_account_is_refused():
    (error,) = x_archive.iter_import(FIXTURES / "x_archive", ChannelIdentity("x", "1", "osby"))
    assert "not to this channel" in error.reason


def test_x_archive_malformed_tweet_becomes_error(tmp_path):
    shutil.copytree(FIXTURES / "x_archive", tmp_path / "archive")
    path = tmp_path / "archive" / "data" / "tweets.js"
    wrappers = load_js(path)
    del wrappers[3]["tweet"]["created_at"]
    path.write_text("window.YTD.tweets.part0 = " + json.dumps(wrappers), encoding="utf-8")
    results = list(x_archive.iter_import(tmp_path / "archive", X_ACCOUNT))
    _, errors, _ = split(results)
    assert [e.external_id for e in errors] == [wrappers[3]["tweet"]["id_str"]]
    assert len(results) == len(x_expected()[0])


def outbox_arrays():
    arrays = []

    def collect(pairs):
        arrays.extend(v for k, v in pairs if k == "orderedItems")
        return dict(pairs)

    json.loads(
        (FIXTURES / "mastodon_archive" / "outbox.json").read_text(), object_pairs_hook=collect
    )
    return arrays


def test_mastodon_archive_reads_both_repeated_ordered_items(tmp_path):
    arrays = outbox_arrays()
    assert len(arrays) == 2  # the fixture repeats the key, like some real exports
    entries = [a for array in arrays for a in array]
    identity = ChannelIdentity("mastodon", "109000", "osbykommun@mastodon.example")
    items, errors, skipped = split(
        mastodon_archive.iter_import(FIXTURES / "mastodon_archive", identity)
    )
    assert len(items) + len(errors) + len(skipped) == len(entries)
    announces = [a for a in entries if a["type"] == "Announce"]
    assert len(skipped) == len(announces) and len(errors) == 1
    assert Counter(i.external_id for i in items)["111000000000000001"] == 2  # repeated: harmless
    first = items[0]
    assert first.kind == "post" and first.language == "sv" and first.author_is_owner
    assert first.media[0].mime_type == "image/jpeg"
    by_id = {i.external_id: i for i in items}
    assert by_id["111000000000000002"].parent_external_id == (
        "https://social.example/users/anna/statuses/555"
    )
    assert by_id["111000000000000002"].edited_at is not None
    assert by_id["111000000000000006"].parent_external_id == "111000000000000001"
    assert by_id["111000000000000003"].kind == "direct_message"
    hostile = by_id["111000000000000005"]
    assert "<script>" in hostile.text and hostile.title == "Testinnehåll"
    assert hostile.text_plain == "Exempel på kod som visas: <b>fet</b>"
    # The same archive packed as .tar.gz streams the same.
    packed = shutil.make_archive(str(tmp_path / "archive"), "gztar", FIXTURES / "mastodon_archive")
    again = [r.external_id for r in mastodon_archive.iter_import(packed, identity)]
    assert again == [
        r.external_id for r in mastodon_archive.iter_import(FIXTURES / "mastodon_archive", identity)
    ]


@pytest.mark.req("R7.5")
def test_mastodon_archive_of_another_account_is_refused():
    identity = ChannelIdentity("mastodon", "1", "hassleholm@mastodon.example")
    (error,) = mastodon_archive.iter_import(FIXTURES / "mastodon_archive", identity)
    assert "not to this channel" in error.reason


CARS = {
    "bnewbold.robocracy.org.20250310005405.car": "did:plc:nhxcyu4ewwhl5pqil4dotqjo",
    "fakermaker.repo.car": "did:plc:dpg45vsnuir2vqqqadsn6afg",
    "paul_staging.repo.car": "did:plc:cmpvykrzb2l22kj4ojlv3ox4",
}


def count_post_blocks(path):
    """Independent count: every block whose record type is a post."""
    with path.open("rb") as stream:
        read_header(stream)
        return sum(
            1
            for _cid, data in iter_blocks(stream)
            if isinstance(record := _try_decode(data), dict)
            and record.get("$type") == "app.bsky.feed.post"
        )


def _try_decode(data):
    try:
        return decode_dag_cbor(data)
    except Exception:
        return None


@pytest.mark.parametrize(("name", "did"), CARS.items())
def test_bluesky_car_posts(name, did):
    path = FIXTURES / "bluesky" / name
    identity = ChannelIdentity("bluesky", did)
    items, errors, skipped = split(bluesky_car.iter_import(path, identity))
    assert len(items) == count_post_blocks(path) and not errors and not skipped
    assert len({i.external_id for i in items}) == len(items)
    for item in items:
        assert item.external_id.startswith(f"at://{did}/app.bsky.feed.post/")
        assert item.author_is_owner
        assert_aware_utc(item)
        assert_json_raw(item)
    replies = [i for i in items if i.parent_external_id]
    assert all(i.root_external_id for i in replies)


def test_bluesky_car_of_another_account_and_partial_car():
    path = FIXTURES / "bluesky" / "bnewbold.robocracy.org.20250310005405.car"
    (error,) = bluesky_car.iter_import(path, ChannelIdentity("bluesky", "did:plc:other"))
    assert "not of this channel" in error.reason
    slice_identity = ChannelIdentity("bluesky", "did:plc:6evlgoug7wwijzxhzt2riyic")
    (error,) = bluesky_car.iter_import(FIXTURES / "bluesky" / "repo_slice.car", slice_identity)
    assert "MST node missing" in error.reason


def test_meta_dyi_repairs_mojibake_and_counts():
    root = FIXTURES / "meta_dyi" / "your_facebook_activity"
    posts = json.loads(
        (root / "posts" / "your_posts__check_ins__photos_and_videos_1.json").read_text()
    )
    comments = json.loads((root / "comments_and_reactions" / "comments.json").read_text())[
        "comments_v2"
    ]
    identity = ChannelIdentity("facebook", "19292868552", "Osby kommun")
    items, errors, skipped = split(meta_dyi.iter_import(FIXTURES / "meta_dyi", identity))
    assert len(items) + len(errors) == len(posts) + len(comments) and not skipped
    assert len(errors) == 1 and errors[0].raw is not None
    first = items[0]
    assert first.text == "Utomhusbadet i Osby öppnar den 1 juni. Välkomna! 🏊"
    assert first.raw["data"][0]["post"].startswith(
        "Utomhusbadet i Osby \u00c3\u00b6ppnar"
    )  # raw as received
    assert items[1].edited_at is not None and items[1].media[0].url == "https://www.osby.se/bad"
    assert items[2].text == "Café och <script>alert(1)</script> résumé"  # correct text left alone
    assert items[3].text == "Ja, entrén är gratis för barn under 7 år."
    assert all(i.author_is_owner for i in items)
    again = [i.external_id for i in split(meta_dyi.iter_import(FIXTURES / "meta_dyi", identity))[0]]
    assert again == [i.external_id for i in items]  # synthetic ids are stable


@pytest.mark.parametrize(
    ("garbled", "repaired"),
    [("H\u00c3\u00a4ssleholm", "Hässleholm"), ("Café", "Café"), ("plain", "plain"), ("Ω Ã", "Ω Ã")],
)
def test_mojibake_repair_is_safe(garbled, repaired):
    assert meta_dyi.repair_mojibake(garbled) == repaired


def test_linkedin_csv_counts_and_urns():
    folder = FIXTURES / "linkedin"
    with (folder / "Shares.csv").open(encoding="utf-8") as f:
        shares = list(csv.DictReader(f))
    with (folder / "Comments.csv").open(encoding="utf-8") as f:
        comments = list(csv.DictReader(f))
    identity = ChannelIdentity("linkedin", "urn:li:organization:1234", "osby-kommun")
    items, errors, _ = split(linkedin_csv.iter_import(folder, identity))
    assert len(items) + len(errors) == len(shares) + len(comments) and len(errors) == 1
    assert items[0].external_id == "urn:li:share:7191800000000000001"
    assert items[0].text.startswith('Vi söker en "badvärd"') and "\n" in items[0].text
    assert items[1].media[0].url.startswith("https://media.licdn.com/")
    comment = items[-1]
    assert (
        comment.kind == "comment"
        and comment.parent_external_id == "urn:li:activity:7192100000000000002"
    )
    assert (
        comment.external_id == "urn:li:comment:(activity:7192100000000000002,7192110000000000002)"
    )
