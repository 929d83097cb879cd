"""Moderation use cases: assign, decide, confirm a manual removal.

A decision that changes the item on the platform first records what the archive holds of
the item and its thread (version ids and SHA-256, R4.3), then creates a PlatformAction
that the task runs after the commit (preserve, screenshot, then the platform call).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.archive.models import Item, ItemVersion
from kanalvakt.core.actions import action
from kanalvakt.core.notify import notify
from kanalvakt.moderation.models import (
    PLATFORM_OPERATION,
    Decision,
    ModerationCase,
    PlatformAction,
    TrainingExample,
)
from kanalvakt.moderation.timing import schedules_for, watched_between
from kanalvakt.organisation.access import SystemActor

DECIDE = "moderation.change_moderationcase"
CHANGE_POLICY = "moderation.add_policyversion"


def _label(actor) -> str:
    return str(getattr(actor, "get_full_name", lambda: "")() or actor)


def thread_items(item: Item) -> list[Item]:
    """The item's thread as archived: the root, its ancestors and the item's siblings."""
    related = {item.pk}
    for linked in (item.root_id, item.parent_id):
        if linked:
            related.add(linked)
    if item.parent_id:
        related.update(Item.objects.filter(parent_id=item.parent_id).values_list("pk", flat=True))
    return list(Item.objects.filter(pk__in=related).order_by("created_on_platform_at", "pk"))


def preservation_record(item: Item) -> dict:
    """The latest archived version of the item and of every item of its thread."""
    thread = thread_items(item)
    versions = []
    for thread_item in thread:
        latest = ItemVersion.objects.filter(item=thread_item).order_by("-number").first()
        if latest is None:
            raise ValidationError(_("The item is not in the archive; it cannot be removed."))
        versions.append(
            {
                "item": thread_item.pk,
                "version": latest.pk,
                "number": latest.number,
                "sha256": latest.sha256,
                "captured_at": latest.captured_at.isoformat(),
            }
        )
    return {"verified_at": timezone.now().isoformat(), "versions": versions}


@action("moderation.case.assign", permission=DECIDE, target="case")
def assign_to_me(ctx, case: ModerationCase):
    case.assigned_to = ctx.actor
    case.save(update_fields=["assigned_to"])
    ctx.audit(case, {"assigned_to": _label(ctx.actor)})
    return case


@action("moderation.case.decide", permission=DECIDE, target="case")
def decide(ctx, case: ModerationCase, *, decision: str, reason: str = ""):
    case = (
        ModerationCase.objects.select_for_update().select_related("item__channel").get(pk=case.pk)
    )
    if case.state != ModerationCase.State.OPEN:
        raise ValidationError(_("This case has already been decided."))
    decision = Decision(decision)
    item = case.item
    categories = sorted(set(case.flags.values_list("category_id", flat=True)))
    if decision in PLATFORM_OPERATION:
        case.preservation = preservation_record(item)  # step (a) of R4.3, before anything
    now = timezone.now()
    case.state = ModerationCase.State.DECIDED
    case.decision, case.decision_reason, case.decided_at = decision, reason, now
    case.decided_by = None if getattr(ctx.actor, "is_system", False) else ctx.actor
    case.decided_by_label = _label(ctx.actor)
    schedule = schedules_for([item.channel_id])[item.channel_id]
    case.watched_seconds_to_decision = watched_between(
        schedule, case.captured_at, max(now, case.captured_at)
    ).total_seconds()
    case.save()
    # Every decision teaches the classifier: "keep" says the flags were wrong.
    kept = decision in (Decision.KEEP, Decision.KEEP_AND_FORWARD)
    TrainingExample.objects.create(
        text=item.display_text, labels=[] if kept else categories, case=case
    )
    platform_action = None
    if decision in PLATFORM_OPERATION:
        platform_action = PlatformAction.objects.create(
            case=case, operation=PLATFORM_OPERATION[decision], platform=item.platform
        )
    if decision == Decision.REMOVE_AND_REGISTER:
        _request_registration(case, item, reason)
    if decision == Decision.KEEP_AND_FORWARD:
        notify(
            [item.channel.responsible],
            _("Feedback forwarded from the moderation queue"),
            "moderation/email/forwarded.txt",
            {"case": case, "item": item, "reason": reason},
        )
    ctx.audit(
        case,
        {
            "decision": decision.value,
            "categories": categories,
            "reason": reason,
            "item": f"{item.platform}:{item.external_id}",
            "preserved_versions": case.preservation.get("versions", []),
            "time_to_decision_seconds": int(case.time_to_decision.total_seconds()),
            "watched_seconds_to_decision": int(case.watched_seconds_to_decision),
            "overdue": case.is_overdue(),
        },
    )
    if platform_action is not None:
        action_id = platform_action.pk
        transaction.on_commit(lambda: _enqueue(action_id))
    return case


def _request_registration(case: ModerationCase, item: Item, reason: str) -> None:
    """R7.6: a pending, confidential registration for the registrar, in this transaction.
    Moderation's system actor files it: moderators need no registration permission."""
    from kanalvakt.records.registration import osl_provision_for_rules, request_registration

    request_registration(
        SystemActor("moderation"),
        [item],
        reason or "Sekretessbelagt material (R7.6)",
        confidential=True,
        osl_provision=osl_provision_for_rules(case.flags.values_list("rule", flat=True)),
        origin=f"moderation:{case.pk}",
        description=f"Kommentar med sekretessbelagda uppgifter, borttagen från {item.channel}",
    )


def _enqueue(action_id: int) -> None:
    from kanalvakt.moderation.tasks import run_platform_action

    run_platform_action.enqueue(action_id)


@action("moderation.platform_action.confirm", permission=DECIDE, target="platform_action")
def confirm_manual(ctx, platform_action: PlatformAction):
    if platform_action.state not in (PlatformAction.State.MANUAL, PlatformAction.State.GAVE_UP):
        raise ValidationError(_("Only a task to do by hand can be confirmed."))
    platform_action.state = PlatformAction.State.CONFIRMED
    platform_action.done_at = timezone.now()
    platform_action.confirmed_by_label = _label(ctx.actor)
    platform_action.save()
    ctx.audit(platform_action, {"operation": platform_action.operation})
    return platform_action


@action("moderation.policy.change", permission=CHANGE_POLICY)
def change_policy(ctx, *, overrides: dict, note: str = ""):
    """A new policy version; cases opened from now on use its target and severities."""
    from kanalvakt.moderation.policy import current_policy, new_version

    previous = current_policy()
    version = new_version(overrides, _label(ctx.actor), note=note)
    ctx.audit(version, {"from": previous.number, "to": version.number, "overrides": overrides})
    return version


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what changed and why (the note is required)."))
    return note[:500]


@action("moderation.policy.lexicon_entry", permission=CHANGE_POLICY)
def change_lexicon_entry(ctx, *, kind: str, key: str | None, data: dict, note: str):
    """Add, edit or disable one lexicon or allow-list entry as a new policy version.
    ``key`` None adds an entry. Invalid input raises ValidationError and stores nothing."""
    from kanalvakt.moderation import policy_lexicon as lex
    from kanalvakt.moderation.policy import current_policy, new_version

    note = _require_note(note)
    previous = current_policy()
    if kind == lex.TERMS:
        key, row = lex.clean_term(previous, key, data)
    elif kind == lex.ALLOW:
        key, row = lex.clean_allow(previous, key, data)
    else:
        raise ValidationError(_("Unknown kind of entry."))
    before = lex.entries_of(previous)[0 if kind == lex.TERMS else 1].get(key)
    as_row = lex.term_row if kind == lex.TERMS else lex.allow_row
    version = new_version(
        previous.overrides,
        _label(ctx.actor),
        note=note,
        lexicon=lex.overlay_with(previous, kind, key, row),
    )
    ctx.audit(
        version,
        {
            "from": previous.number,
            "to": version.number,
            "kind": kind,
            "key": key,
            "before": as_row(before) if before else None,
            "after": row,
            "note": note,
        },
    )
    return version


@action("moderation.policy.rollback", permission=CHANGE_POLICY)
def rollback_policy(ctx, *, to, note: str):
    """A new version equal to ``to`` (overrides and lexicon); history is never rewritten."""
    from kanalvakt.moderation.policy import current_policy, new_version

    note = _require_note(note)
    previous = current_policy()
    version = new_version(to.overrides, _label(ctx.actor), note=note, lexicon=to.lexicon)
    ctx.audit(
        version,
        {"from": previous.number, "to": version.number, "rolled_back_to": to.number, "note": note},
    )
    return version
