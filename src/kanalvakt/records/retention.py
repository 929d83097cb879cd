"""Retention rules and disposal proposals (R7.1).

Which items a rule allows to dispose of is one queryset (`eligible_items`), built only of
joins and correlated subqueries, so the database answers it for a million items without a
Python loop: a proposal inserts its candidates with one INSERT … SELECT. The same
queryset, restricted to a batch, re-checks eligibility when an approved run is carried out
(records.disposal), so a hold or registration that came after approval still blocks.

Never disposed of: registered items (in any registration), confidential items (removed and
registered, reported to the police, or awaiting a moderation decision), items under a
legal hold in force, items no active class with a period matches, and threads with
activity within the period.
"""

from __future__ import annotations

import calendar
import random
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kanalvakt.archive.models import Item, ItemKind
from kanalvakt.core.actions import action
from kanalvakt.organisation.access import SystemActor
from kanalvakt.records.holds import held_items_q
from kanalvakt.records.registration import registered_items
from kanalvakt.records.retention_models import (
    AuthorScope,
    DisposalCandidate,
    DisposalRun,
    RetentionClass,
    Tombstone,
)

SAMPLE_SIZE = 20
STALE_PROPOSAL_DAYS = 30  # compliance: a proposal nobody reviewed for this long

# Osby's defaults (R7.1: "Inlägg … är vanligtvis av tillfällig eller ringa betydelse och
# får plockas bort när de inte längre anses aktuella"). The archivist changes them in the
# UI; the decision reference is the municipality's disposal decision (gallringsbeslut).
DEFAULT_DECISION = "KS 2024/45 § 12"
DEFAULT_CLASSES = [
    {
        "code": "third-party-temporary",
        "name": "Inlägg och kommentarer från andra (tillfällig betydelse)",
        "kinds": [ItemKind.POST, ItemKind.COMMENT, ItemKind.REPLY],
        "author_scope": AuthorScope.THIRD_PARTY,
        "period_months": 12,
        "order": 10,
    },
    {
        "code": "own-replies-temporary",
        "name": "Kommunens egna svar och kommentarer (tillfällig betydelse)",
        "kinds": [ItemKind.COMMENT, ItemKind.REPLY],
        "author_scope": AuthorScope.MUNICIPALITY,
        "period_months": 24,
        "order": 20,
    },
    {
        "code": "own-posts",
        "name": "Kommunens egna inlägg",
        "kinds": [ItemKind.POST],
        "author_scope": AuthorScope.MUNICIPALITY,
        "period_months": None,
        "order": 30,
    },
    {
        "code": "direct-messages",
        "name": "Direktmeddelanden",
        "kinds": [ItemKind.DIRECT_MESSAGE],
        "author_scope": AuthorScope.ANY,
        "period_months": None,
        "order": 40,
    },
]


def install_default_classes(**kwargs) -> None:
    """post_migrate: create Osby's classes that do not exist (an archivist's edits stay)."""
    for fields in DEFAULT_CLASSES:
        defaults = {k: v for k, v in fields.items() if k != "code"}
        defaults["kinds"] = [str(k) for k in defaults["kinds"]]
        defaults["decision_reference"] = DEFAULT_DECISION
        defaults["updated_by_label"] = "system:defaults"
        RetentionClass.objects.get_or_create(code=fields["code"], defaults=defaults)


def months_before(moment: datetime, months: int) -> datetime:
    """`moment` minus whole calendar months (31 March - 1 month = 28/29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


# --- what may be disposed of --------------------------------------------------------------


def _activity(prefix: str = ""):
    return Coalesce(f"{prefix}edited_at", f"{prefix}created_on_platform_at")


def with_thread_activity(items):
    """Annotate `thread_last_activity`: the newest creation or edit in the item's thread
    (its root and everything under the root), from one indexed subquery on root_id."""
    thread_key = Coalesce(F("root_id"), F("pk"))
    newest_in_thread = (
        Item.objects.filter(root_id=OuterRef("thread_key"))
        .order_by()
        .values("root_id")
        .annotate(newest=Max(_activity()))
        .values("newest")
    )
    root_activity = Coalesce(F("root__edited_at"), F("root__created_on_platform_at"), _activity())
    return items.annotate(thread_key=thread_key).annotate(
        thread_last_activity=Greatest(
            Coalesce(Subquery(newest_in_thread), root_activity), root_activity, _activity()
        )
    )


def _author_q(scope: str) -> Q:
    if scope == AuthorScope.MUNICIPALITY:
        return Q(author_is_owner=True)
    if scope == AuthorScope.THIRD_PARTY:
        return Q(author_is_owner=False)
    return Q()


def _confidential_ids():
    """Items removed as confidential or reported to the police, or whose moderation case
    awaits a decision (it may yet be found confidential)."""
    from kanalvakt.moderation.models import Decision, ModerationCase

    return ModerationCase.objects.filter(
        Q(state=ModerationCase.State.OPEN)
        | Q(decision__in=[Decision.REMOVE_AND_REGISTER, Decision.REPORT_TO_POLICE])
    ).values("item_id")


def blocked_q() -> Q:
    """Items that are kept whatever their class says: registered, confidential, held,
    already disposed of."""
    return (
        held_items_q()
        | Q(pk__in=Tombstone.objects.values("item_id"))
        | Q(pk__in=registered_items())
        | Q(pk__in=_confidential_ids())
    )


def _class_cases(classes, as_of: datetime) -> tuple[Case, Case]:
    """(class id, cutoff) of each item as CASE expressions: the first class that matches
    decides; its cutoff is NULL when it keeps for ever (and when no class matches)."""
    matches = [Q(kind__in=cls.kinds) & _author_q(cls.author_scope) for cls in classes]
    class_id = Case(
        *[When(m, then=Value(cls.pk)) for m, cls in zip(matches, classes, strict=True)],
        default=None,
        output_field=models.BigIntegerField(),
    )
    cutoff = Case(
        *[
            When(
                m,
                then=Value(
                    months_before(as_of, cls.period_months) if cls.period_months else None,
                    output_field=models.DateTimeField(),
                ),
            )
            for m, cls in zip(matches, classes, strict=True)
        ],
        default=None,
        output_field=models.DateTimeField(),
    )
    return class_id, cutoff


def _active_classes(classes=None) -> list[RetentionClass]:
    return list(RetentionClass.objects.filter(active=True) if classes is None else classes)


def eligible_items(as_of: datetime, classes=None):
    """Items a class allows to dispose of at `as_of`, annotated with `retention_class_id`
    and `thread_last_activity`; nothing blocked. For re-checking a bounded set of items
    (`.filter(pk__in=batch)`): the thread activity is a correlated subquery per item."""
    classes = _active_classes(classes)
    if not any(cls.period_months for cls in classes):
        return Item.objects.none()
    class_id, cutoff = _class_cases(classes, as_of)
    items = with_thread_activity(Item.objects.all()).annotate(
        retention_class_id=class_id, retention_cutoff=cutoff
    )
    return items.filter(
        retention_cutoff__isnull=False, thread_last_activity__lt=F("retention_cutoff")
    ).exclude(blocked_q())


def _insert_candidates(run: DisposalRun, as_of: datetime, classes=None) -> int:
    """INSERT … SELECT of every item a class allows to dispose of; Python never sees the ids.

    The thread's last activity is a window function over all items (one sort, O(n log n)),
    not a subquery per item, which costs the square of a thread's size. The window must
    see every item of a thread, blocked or not, so blocked items are removed afterwards."""
    classes = _active_classes(classes)
    if not any(cls.period_months for cls in classes):
        return 0
    class_id, cutoff = _class_cases(classes, as_of)
    inner = (
        Item.objects.order_by()
        .annotate(
            c_item=F("pk"),
            c_class=class_id,
            c_cutoff=cutoff,
            c_last=Window(Max(_activity()), partition_by=[Coalesce(F("root_id"), F("pk"))]),
        )
        .values("c_item", "c_class", "c_cutoff", "c_last")
    )
    inner_sql, params = inner.query.sql_with_params()
    table = connection.ops.quote_name(DisposalCandidate._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(DisposalCandidate._meta.get_field(name).column)
        for name in ("run", "item", "retention_class", "last_activity_at")
    )
    with connection.cursor() as cursor:
        # Names from the model and SQL Django compiled; values are parameters.
        sql = (
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            f"SELECT %s, w.c_item, w.c_class, w.c_last FROM ({inner_sql}) w "
            "WHERE w.c_cutoff IS NOT NULL AND w.c_last < w.c_cutoff"
        )
        cursor.execute(sql, [run.pk, *params])
    blocked = Item.objects.filter(blocked_q()).values("pk")
    DisposalCandidate.objects.filter(run=run, item_id__in=blocked).delete()
    return DisposalCandidate.objects.filter(run=run).count()


def summarise(run: DisposalRun) -> dict:
    candidates = DisposalCandidate.objects.filter(run=run)
    channels = (
        candidates.values("item__channel_id", "item__channel__display_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "item__channel_id")
    )
    classes = (
        candidates.values("retention_class_id", "retention_class__name")
        .annotate(n=Count("pk"))
        .order_by("retention_class_id")
    )
    return {
        "channels": [
            [row["item__channel_id"], row["item__channel__display_name"], row["n"]]
            for row in channels
        ],
        "classes": [
            [row["retention_class_id"], row["retention_class__name"], row["n"]] for row in classes
        ],
    }


def sample(run: DisposalRun, size: int = SAMPLE_SIZE) -> list[DisposalCandidate]:
    """Up to `size` candidates spread over the run, without sorting it (ids are dense)."""
    bounds = DisposalCandidate.objects.filter(run=run).aggregate(
        low=models.Min("pk"), high=models.Max("pk")
    )
    if bounds["low"] is None:
        return []
    span = range(bounds["low"], bounds["high"] + 1)
    picks = random.Random(run.pk).sample(span, min(size * 2, len(span)))
    return list(
        DisposalCandidate.objects.filter(run=run, pk__in=picks)
        .select_related("item", "item__channel", "retention_class")
        .order_by("pk")[:size]
    )


# --- actions ------------------------------------------------------------------------------


def open_run() -> DisposalRun | None:
    """A run awaiting review or being carried out; only one at a time, so no item is
    proposed twice and the archivist reviews one list."""
    return DisposalRun.objects.filter(
        state__in=[DisposalRun.State.PROPOSED, DisposalRun.State.APPROVED]
    ).first()


@action("records.disposal.propose", permission="records.add_disposalrun", target=None)
def propose_run(ctx, *, as_of: datetime | None = None) -> DisposalRun:
    """List everything a class allows to dispose of now, for an archivist to review."""
    if open_run() is not None:
        raise ValidationError(
            _("A disposal run is already waiting for review or being carried out.")
        )
    as_of = as_of or timezone.now()
    run = DisposalRun.objects.create(
        as_of=as_of, proposed_by=ctx.user, proposed_by_label=ctx.actor_label
    )
    run.candidate_count = _insert_candidates(run, as_of)
    run.summary = summarise(run)
    run.save(update_fields=["candidate_count", "summary"])
    ctx.audit(run, {"as_of": as_of.isoformat(), "items": run.candidate_count, **run.summary})
    return run


@action("records.disposal.decide", permission="records.approve_disposalrun", target=None)
def decide_run(ctx, run: DisposalRun, *, approve: bool, comment: str) -> DisposalRun:
    """Approve or reject a proposed run (ADR 0106: never by the person who proposed it)."""
    comment = (comment or "").strip()
    run = DisposalRun.objects.select_for_update().get(pk=run.pk)
    if run.state != DisposalRun.State.PROPOSED:
        raise ValidationError(_("This disposal run has already been decided."))
    if not comment:
        raise ValidationError({"comment": _("Write a comment on the decision.")})
    user = ctx.user
    if user is not None and run.proposed_by_id == user.pk:
        raise ValidationError(_("Someone other than the proposer must decide on the run."))
    run.state = DisposalRun.State.APPROVED if approve else DisposalRun.State.REJECTED
    run.decided_at = timezone.now()
    run.decided_by = user
    run.decided_by_label = ctx.actor_label
    run.decision_comment = comment
    run.save(
        update_fields=["state", "decided_at", "decided_by", "decided_by_label", "decision_comment"]
    )
    ctx.audit(run, {"approved": approve, "comment": comment, "items": run.candidate_count})
    if approve:
        from kanalvakt.records.disposal import execute_run

        transaction.on_commit(lambda: execute_run.enqueue(run.pk))
    return run


@action("records.retention.change_class", permission="records.change_retentionclass")
def change_class(ctx, retention_class: RetentionClass, **fields) -> RetentionClass:
    allowed = {"name", "kinds", "author_scope", "period_months", "decision_reference", "active",
               "order", "note"}  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    before = {name: getattr(retention_class, name) for name in fields}
    for name, value in fields.items():
        setattr(retention_class, name, value)
    retention_class.updated_at = timezone.now()
    retention_class.updated_by_label = ctx.actor_label
    retention_class.full_clean()
    retention_class.save()
    ctx.audit(retention_class, {"before": before, "after": fields})
    return retention_class


# --- schedule -----------------------------------------------------------------------------

PROPOSE_EVERY_SECONDS = 30 * 24 * 3600  # monthly


@task()
def propose_monthly() -> int:
    """The scheduled proposal; skipped while a run awaits review or is being carried out."""
    if open_run() is not None:
        return -1
    return propose_run(SystemActor("retention")).candidate_count


def after_migrate(sender=None, **kwargs) -> None:
    """Defaults that must survive a test-database flush (post_migrate)."""
    from kanalvakt.core.scheduler import ensure_job

    install_default_classes()
    ensure_job(
        "records-disposal-proposal",
        "kanalvakt.records.retention.propose_monthly",
        PROPOSE_EVERY_SECONDS,
    )
    # An approved run a killed worker left unfinished is carried on within the hour.
    ensure_job("records-disposal-resume", "kanalvakt.records.disposal.resume_runs", 3600)


def connect(app_config) -> None:
    from django.db.models.signals import post_migrate

    from kanalvakt.records import retention_compliance  # noqa: F401 - registers the R7.1 check

    post_migrate.connect(
        after_migrate, sender=app_config, dispatch_uid="records-retention", weak=False
    )
