"""Carrying out an approved disposal run (R7.1), in batches, resumable and idempotent.

Each batch is one transaction: re-check the batch in SQL (a hold, a registration or new
activity in the thread since approval keeps the item), write a Tombstone per disposed item
with the hashes the integrity log holds, blank the text and payload of every version, cut
the media rows from their files, drop the items from the search index, and mark the
candidates. A worker killed inside a batch leaves it untouched (the transaction rolls back)
and the next run of the task picks it up; candidates already marked are never redone.

Media files are deleted only after the batch committed (a rollback must not lose a file),
from the names the candidate row keeps until they are gone, so a kill between commit and
deletion is finished by the next run. Files are content-addressed: a file another,
undisposed media row still uses is kept.
"""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone
from django_tasks import task

from kanalvakt.archive.models import Item, ItemVersion, Media
from kanalvakt.archive.search import unindex_items
from kanalvakt.core.actions import action
from kanalvakt.organisation.access import SystemActor
from kanalvakt.records.holds import held_items_q
from kanalvakt.records.retention import eligible_items
from kanalvakt.records.retention_models import DisposalCandidate, DisposalRun, Tombstone

logger = logging.getLogger(__name__)

BATCH = 500
HELD, NOT_ELIGIBLE = "held", "not_eligible"
_ACTOR = SystemActor("disposal")


@task()
def execute_run(run_id: int) -> int:
    """The task an approval enqueues; safe to run again (resumes where it stopped)."""
    return execute(run_id).disposed_count


@task()
def resume_runs() -> int:
    """Scheduled: carry on any approved run a killed worker left unfinished."""
    runs = DisposalRun.objects.filter(state=DisposalRun.State.APPROVED).values_list("pk", flat=True)
    for run_id in runs:
        execute(run_id)
    return len(runs)


def execute(run_id: int, *, batch_size: int = BATCH, actor=_ACTOR) -> DisposalRun:
    run = DisposalRun.objects.get(pk=run_id)
    if run.state not in (DisposalRun.State.APPROVED, DisposalRun.State.DONE):
        raise ValueError(f"disposal run {run_id} is {run.state}, not approved")
    delete_pending_files(run)  # left over by a worker killed after a commit
    while run.state == DisposalRun.State.APPROVED and _pending(run).exists():
        dispose_batch(actor, run, batch_size=batch_size)
        delete_pending_files(run)
    run.refresh_from_db()  # another worker may have finished it meanwhile
    if run.state == DisposalRun.State.APPROVED:
        run = finish_run(actor, run)
    return run


def _pending(run):
    return DisposalCandidate.objects.filter(run=run, state=DisposalCandidate.State.PENDING)


@action("records.disposal.dispose_batch", permission="records.approve_disposalrun")
def dispose_batch(ctx, run: DisposalRun, *, batch_size: int = BATCH) -> tuple[int, int]:
    """Dispose of the next batch of pending candidates; return (disposed, kept)."""
    # One worker per run at a time: the run row is the lock.
    run = DisposalRun.objects.select_for_update().get(pk=run.pk)
    if run.state != DisposalRun.State.APPROVED:
        raise ValueError(f"disposal run {run.pk} is {run.state}, not approved")
    batch = list(
        _pending(run)
        .order_by("pk")
        .select_related("retention_class")
        .only(
            "pk",
            "item_id",
            "last_activity_at",
            "retention_class__name",
            "retention_class__decision_reference",
        )[:batch_size]
    )
    item_ids = [c.item_id for c in batch]
    held = set(
        Item.objects.filter(pk__in=item_ids).filter(held_items_q()).values_list("pk", flat=True)
    )
    still = (
        set(eligible_items(timezone.now()).filter(pk__in=item_ids).values_list("pk", flat=True))
        - held
    )
    keep = [c for c in batch if c.item_id not in still]
    for reason, rows in ((HELD, [c for c in keep if c.item_id in held]),
                         (NOT_ELIGIBLE, [c for c in keep if c.item_id not in held])):  # fmt: skip
        DisposalCandidate.objects.filter(pk__in=[c.pk for c in rows]).update(
            state=DisposalCandidate.State.SKIPPED, skip_reason=reason
        )
    dispose = [c for c in batch if c.item_id in still]
    files = _dispose(run, dispose)
    ctx.audit(
        run,
        {
            "disposed": sorted(c.item_id for c in dispose),
            "kept_held": sorted(c.item_id for c in keep if c.item_id in held),
            "kept_not_eligible": sorted(c.item_id for c in keep if c.item_id not in held),
            "files": sum(len(names) for names in files.values()),
        },
    )
    return len(dispose), len(keep)


def _dispose(run: DisposalRun, candidates: list[DisposalCandidate]) -> dict[int, list[str]]:
    if not candidates:
        return {}
    ids = [c.item_id for c in candidates]
    version_hashes: dict[int, dict] = {i: {} for i in ids}
    for pk, item_id, digest in ItemVersion.objects.filter(item_id__in=ids).values_list(
        "pk", "item_id", "sha256"
    ):
        version_hashes[item_id][str(pk)] = digest
    media_hashes: dict[int, dict] = {i: {} for i in ids}
    files: dict[int, list[str]] = {}
    for pk, item_id, digest, name in Media.objects.filter(item_id__in=ids).values_list(
        "pk", "item_id", "sha256", "file"
    ):
        media_hashes[item_id][str(pk)] = digest
        if name:
            files.setdefault(item_id, []).append(name)
    items = Item.objects.only(
        "pk",
        "channel_id",
        "platform",
        "external_id",
        "kind",
        "created_on_platform_at",
        "captured_at",
    ).in_bulk(ids)
    now = timezone.now()
    Tombstone.objects.bulk_create(
        [
            Tombstone(
                item_id=c.item_id,
                channel_id=items[c.item_id].channel_id,
                platform=items[c.item_id].platform,
                external_id=items[c.item_id].external_id,
                kind=items[c.item_id].kind,
                version_hashes=version_hashes[c.item_id],
                media_hashes=media_hashes[c.item_id],
                created_on_platform_at=items[c.item_id].created_on_platform_at,
                captured_at=items[c.item_id].captured_at,
                last_activity_at=c.last_activity_at,
                disposed_at=now,
                run=run,
                retention_class_name=c.retention_class.name,
                decision_reference=c.retention_class.decision_reference,
            )
            for c in candidates
        ],
        batch_size=500,
    )
    # The rows stay (their log entries name them); what they said goes.
    ItemVersion.objects.filter(item_id__in=ids).update(
        text="", text_plain="", title="", raw_json="", media_keys=[]
    )
    Media.objects.filter(item_id__in=ids).update(file="", source_url="")
    Item.objects.filter(pk__in=ids).update(
        text="", text_plain="", title="", url="", language="",
        author_display_name="", author_handle="", author_external_id="",
    )  # fmt: skip
    unindex_items(ids)
    _drop_copies(ids)
    DisposalCandidate.objects.filter(pk__in=[c.pk for c in candidates]).update(
        state=DisposalCandidate.State.DISPOSED
    )
    for c in candidates:
        if c.item_id in files:
            DisposalCandidate.objects.filter(pk=c.pk).update(
                pending_files="\n".join(files[c.item_id])
            )
    return files


def _drop_copies(item_ids: list[int]) -> None:
    """Copies of the disposed text kept elsewhere: moderation's training examples."""
    from kanalvakt.moderation.models import TrainingExample

    TrainingExample.objects.filter(case__item_id__in=item_ids).delete()


def delete_pending_files(run: DisposalRun) -> int:
    """Delete the stored files of disposed media no undisposed media row still uses."""
    deleted = 0
    waiting = DisposalCandidate.objects.filter(run=run).exclude(pending_files="")
    for candidate in waiting.only("pk", "pending_files").iterator(chunk_size=500):
        names = [n for n in candidate.pending_files.split("\n") if n]
        in_use = set(Media.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name not in in_use:
                default_storage.delete(name)  # no error if already gone (resumed run)
                deleted += 1
        DisposalCandidate.objects.filter(pk=candidate.pk).update(pending_files="")
    return deleted


@action("records.disposal.finish", permission="records.approve_disposalrun")
def finish_run(ctx, run: DisposalRun) -> DisposalRun:
    run = DisposalRun.objects.select_for_update().get(pk=run.pk)
    counts = dict(
        DisposalCandidate.objects.filter(run=run)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    if counts.get(DisposalCandidate.State.PENDING):
        raise ValueError(f"disposal run {run.pk} still has pending items")
    run.state = DisposalRun.State.DONE
    run.finished_at = timezone.now()
    run.disposed_count = counts.get(DisposalCandidate.State.DISPOSED, 0)
    run.skipped_count = counts.get(DisposalCandidate.State.SKIPPED, 0)
    run.save(update_fields=["state", "finished_at", "disposed_count", "skipped_count"])
    ctx.audit(run, {"disposed": run.disposed_count, "kept": run.skipped_count})
    logger.info("Disposal run %s done: %s disposed, %s kept", run.pk, run.disposed_count,
                run.skipped_count)  # fmt: skip
    return run


def tombstone_of(item) -> Tombstone | None:
    """What is left of a disposed item (for its staff record page), or None."""
    return Tombstone.objects.filter(item=item).select_related("run").first()
