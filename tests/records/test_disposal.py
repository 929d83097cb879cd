"""Carrying out disposal (R7.1): content and media go, tombstones stay, the integrity log
still verifies, holds placed after approval still block, a killed run resumes."""

from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from kanalvakt.archive import integrity
from kanalvakt.archive.models import Item, ItemVersion, Media, sha256_hex
from kanalvakt.archive.search import SearchFilters, index_items, search
from kanalvakt.archive.search_models import SearchEntry
from kanalvakt.archive.verify_core import CONTENT_MISMATCH, LEAF_MISMATCH
from kanalvakt.cli import main
from kanalvakt.organisation.access import SystemActor
from kanalvakt.organisation.roles import Role
from kanalvakt.records import disposal
from kanalvakt.records.holds import place_hold
from kanalvakt.records.retention import decide_run, propose_run
from kanalvakt.records.retention_models import DisposalCandidate, DisposalRun, Tombstone
from records.retention_helpers import thread
from registry.helpers import make_channel

pytestmark = [pytest.mark.django_db, pytest.mark.req("R7.1")]
SYSTEM = SystemActor("test")
T0 = datetime(2023, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARCHIVE_SIGNING_KEY_FILE = tmp_path / "keys" / "archive-signing.pem"
    settings.ARCHIVE_TSA_URL = ""


def add_media(item, data: bytes, key="img") -> Media:
    name = f"media/{sha256_hex(data)[:2]}/{sha256_hex(data)}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return Media.objects.create(
        item=item,
        identity_key=key,
        source_url="https://e.org/a.png",
        sha256=sha256_hex(data),
        size=len(data),
        file=name,
        fetched_at=T0,
    )


@pytest.fixture
def archive():
    """Two old threads (4 third-party comments to dispose of), media, a signed log."""
    channel = make_channel(platform="facebook", handle="osby.disposal")
    post, comments = thread(channel)
    _, more = thread(channel)
    comments += more
    add_media(comments[0], b"\x89PNG a picture only this comment has")
    add_media(comments[1], b"\x89PNG a picture the post shares", key="shared")
    add_media(post, b"\x89PNG a picture the post shares", key="shared")
    index_items(Item.objects.values_list("pk", flat=True))
    integrity.append_pending()
    integrity.sign_current_head()
    return {"channel": channel, "post": post, "comments": comments}


def approved_run(make_user=None):
    run = propose_run(SYSTEM)
    archivist = make_user(Role.ARCHIVIST) if make_user else SYSTEM
    return decide_run(archivist, run, approve=True, comment="Granskad")


def verify(capsys):
    code = main(["archive", "verify"])
    return code, capsys.readouterr().out


def test_execution_blanks_content_and_media_and_writes_tombstones(archive, make_user):
    comments, post = archive["comments"], archive["post"]
    hashes = {
        c.pk: set(ItemVersion.objects.filter(item=c).values_list("sha256", flat=True))
        for c in comments
    }
    own_file = Media.objects.get(item=comments[0]).file
    shared_file = Media.objects.get(item=post).file
    run = disposal.execute(approved_run(make_user).pk, batch_size=3)
    assert run.state == DisposalRun.State.DONE and run.disposed_count == 4
    for comment in comments:
        comment.refresh_from_db()
        assert comment.text == comment.text_plain == comment.author_display_name == ""
        tombstone = Tombstone.objects.get(item=comment)
        assert set(tombstone.version_hashes.values()) == hashes[comment.pk]
        assert tombstone.decision_reference == "KS 2024/45 § 12"
        assert tombstone.channel == archive["channel"] and tombstone.run == run
        assert tombstone.last_activity_at == T0
        for version in ItemVersion.objects.filter(item=comment):
            assert version.text == version.raw_json == "" and version.sha256
    assert not Media.objects.filter(item__in=comments).exclude(file="").exists()
    assert not default_storage.exists(own_file)
    assert default_storage.exists(shared_file)  # the post, which is kept, still uses it
    post.refresh_from_db()
    assert post.text.startswith("Inlägg")
    assert not Tombstone.objects.filter(item=post).exists()


def test_disposed_items_leave_search_and_public_pages(archive, client):
    comment = archive["comments"][0]
    assert client.get(reverse("archive_public:record", args=[comment.pk])).status_code == 200
    disposal.execute(approved_run().pk)
    assert not SearchEntry.objects.filter(item_id__in=[c.pk for c in archive["comments"]]).exists()
    index_items([comment.pk])  # a reindex must not bring it back
    assert not SearchEntry.objects.filter(item_id=comment.pk).exists()
    hits = search("", SearchFilters(channel_ids=[archive["channel"].pk]), public_only=True)
    assert {h.item.pk for h in hits.hits} == {i.pk for i in Item.objects.filter(kind="post")}
    assert client.get(reverse("archive_public:record", args=[comment.pk])).status_code == 404


def test_verify_accepts_tombstones_and_still_names_other_tampering(archive, capsys, tmp_path):
    disposal.execute(approved_run().pk)
    integrity.sign_current_head()
    code, out = verify(capsys)
    assert code == 0, out
    # The export carries no content for disposed records; offline verification passes.
    from kanalvakt.archive.integrity_export import verify_export, write_export

    write_export(tmp_path / "export")
    assert verify_export(tmp_path / "export").ok
    # Tampering with a record that was not disposed of is still named.
    version = ItemVersion.objects.get(item=archive["post"])
    ItemVersion.objects.filter(pk=version.pk).update(text="Ändrad i efterhand")
    code, out = verify(capsys)
    assert code == 1 and CONTENT_MISMATCH in out and f"item_version {version.pk}" in out


def test_a_forged_tombstone_hash_is_named(archive, capsys):
    disposal.execute(approved_run().pk)
    tombstone = Tombstone.objects.get(item=archive["comments"][2])
    version_pk = next(iter(tombstone.version_hashes))
    tombstone.version_hashes[version_pk] = "0" * 64
    tombstone.save()
    code, out = verify(capsys)
    assert code == 1 and LEAF_MISMATCH in out and f"item_version {version_pk}" in out


def test_blanking_an_item_without_a_disposal_is_named(archive, capsys):
    comment = archive["comments"][0]
    ItemVersion.objects.filter(item=comment).update(text="", raw_json="")
    code, out = verify(capsys)
    assert code == 1 and CONTENT_MISMATCH in out


def test_a_hold_placed_after_approval_still_blocks(archive, make_user):
    run = approved_run(make_user)
    held = archive["comments"][1]
    place_hold(
        make_user(Role.REGISTRAR),
        reason="Begäran om allmän handling",
        reference="KS 2026/7",
        item_ids=[held.pk],
    )
    run = disposal.execute(run.pk)
    assert run.disposed_count == 3 and run.skipped_count == 1
    candidate = DisposalCandidate.objects.get(run=run, item=held)
    assert candidate.state == DisposalCandidate.State.SKIPPED and candidate.skip_reason == "held"
    held.refresh_from_db()
    assert held.text and not Tombstone.objects.filter(item=held).exists()
    assert Media.objects.get(item=held).file


def test_new_activity_in_the_thread_after_approval_keeps_it(archive):
    from django.utils import timezone

    run = approved_run()
    comment = archive["comments"][0]
    Item.objects.filter(pk=comment.pk).update(edited_at=timezone.now())
    run = disposal.execute(run.pk)
    assert DisposalCandidate.objects.get(run=run, item=comment).skip_reason == "not_eligible"


def test_a_run_killed_mid_batch_resumes_without_double_work(archive, monkeypatch):
    run = approved_run()
    calls = {"n": 0}
    real = disposal.unindex_items

    def dies_on_second_batch(ids):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        real(ids)

    monkeypatch.setattr(disposal, "unindex_items", dies_on_second_batch)
    with pytest.raises(SystemExit):
        disposal.execute(run.pk, batch_size=2)
    # The first batch committed, the second rolled back completely.
    assert Tombstone.objects.count() == 2
    states = DisposalCandidate.objects.filter(run=run).values_list("state", flat=True)
    assert sorted(states) == ["disposed", "disposed", "pending", "pending"]
    pending = DisposalCandidate.objects.filter(run=run, state="pending").values_list(
        "item_id", flat=True
    )
    assert all(Item.objects.get(pk=i).text for i in pending)
    run = disposal.execute(run.pk, batch_size=2)
    assert run.state == DisposalRun.State.DONE and run.disposed_count == 4
    assert Tombstone.objects.count() == 4
    assert disposal.execute(run.pk).disposed_count == 4  # again: nothing to do
    from kanalvakt.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="records.disposal.dispose_batch").count() == 2


def test_a_kill_between_commit_and_file_deletion_is_finished_next_time(archive, monkeypatch):
    run = approved_run()
    own_file = Media.objects.get(item=archive["comments"][0]).file
    monkeypatch.setattr(disposal, "delete_pending_files", lambda run: 0)
    disposal.execute(run.pk)
    assert default_storage.exists(own_file)
    assert DisposalCandidate.objects.filter(run=run).exclude(pending_files="").exists()
    monkeypatch.undo()
    disposal.execute(run.pk)
    assert not default_storage.exists(own_file)
    assert not DisposalCandidate.objects.filter(run=run).exclude(pending_files="").exists()


def test_an_unapproved_run_is_not_carried_out(archive):
    run = propose_run(SYSTEM)
    with pytest.raises(ValueError):
        disposal.execute(run.pk)
    assert not Tombstone.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_approval_enqueues_the_execution(archive, make_user):
    run = approved_run(make_user)  # the test settings run tasks at once, after commit
    run.refresh_from_db()
    assert run.state == DisposalRun.State.DONE and Tombstone.objects.count() == 4


def test_cli_proposes_and_executes_with_english_errors(archive, capsys):
    assert main(["records", "disposal", "propose"]) == 0
    run = DisposalRun.objects.get()
    assert "4 items" in capsys.readouterr().out
    assert main(["records", "disposal", "propose"]) == 1
    assert main(["records", "disposal", "execute", str(run.pk)]) == 1
    assert "not approved" in capsys.readouterr().err
    assert main(["records", "disposal", "execute", "9999"]) == 1
    decide_run(SYSTEM, run, approve=True, comment="ok")
    assert main(["records", "disposal", "execute", str(run.pk)]) == 0
    assert "4 disposed of" in capsys.readouterr().out


def test_compliance_warns_when_a_proposal_waits_too_long(archive):
    from datetime import timedelta

    from django.utils import timezone

    from kanalvakt.compliance.evaluate import evaluate

    def finding():
        report = evaluate([archive["channel"]])[0]
        return next(r for r in report.results if r.key == "disposal_reviewed")

    assert finding().status == "not_applicable"
    run = propose_run(SYSTEM)
    assert finding().status == "ok"
    DisposalRun.objects.filter(pk=run.pk).update(proposed_at=timezone.now() - timedelta(days=31))
    assert finding().status == "warning"


def test_the_scheduled_resume_finishes_an_approved_run(archive):
    from kanalvakt.core.models import ScheduledJob

    assert ScheduledJob.objects.filter(name="records-disposal-resume").exists()
    assert ScheduledJob.objects.filter(name="records-disposal-proposal").exists()
    run = approved_run()  # on_commit not run here: as if the worker died before starting
    assert disposal.resume_runs.call() == 1
    run.refresh_from_db()
    assert run.state == DisposalRun.State.DONE and run.disposed_count == 4
    assert disposal.resume_runs.call() == 0


def test_the_staff_record_page_shows_what_is_left(archive, client, make_user):
    disposal.execute(approved_run().pk)
    client.force_login(make_user(Role.ARCHIVIST))
    comment = archive["comments"][0]
    body = client.get(reverse("archive_staff:record", args=[comment.pk])).content.decode()
    assert "Gallrades" in body and "KS 2024/45" in body
