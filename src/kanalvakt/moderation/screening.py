"""Screening of captured third-party items (R4.1): run the detectors, store the flags with
the policy version used and open (or refresh) one moderation case per flagged item.

Called synchronously from the archive's `items_captured` signal: the detectors screen
thousands of comments a second, so the webhook path stays within its 2-second budget.
Items the municipality wrote itself are not screened. Criticism is not a category: the
detectors pass it (R3.4), so it never opens a case.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from kanalvakt.archive.models import Item
from kanalvakt.moderation.classifier import screen_with_model
from kanalvakt.moderation.detectors import DuplicateIndex, ScreenContext
from kanalvakt.moderation.policy import current_policy
from kanalvakt.moderation.policy_lexicon import lexicon_for
from kanalvakt.moderation.timing import due_at, schedules_for
from kanalvakt.moderation.training import current_model

logger = logging.getLogger(__name__)
BATCH_SIZE = 500


def on_items_captured(sender, channel=None, item_ids=(), source="", **kwargs):
    try:
        screen_items(item_ids)
    except Exception:
        # Capture must never fail because screening did; the items are archived either way
        # and `kanalvakt moderation screen` catches up.
        logger.exception("Screening of %d captured items failed", len(item_ids))


def screen_items(item_ids) -> int:
    """Screen the given items in batches; returns how many cases were opened or updated."""
    ids = list(item_ids)
    policy = current_policy()
    lexicon = lexicon_for(policy)  # compiled once per process and version
    duplicates = DuplicateIndex()
    model = current_model()
    touched = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = (
            Item.objects.filter(pk__in=ids[start : start + BATCH_SIZE], author_is_owner=False)
            .select_related("channel")
            .order_by("pk")
        )
        touched += _screen_batch(list(batch), policy, lexicon, duplicates, model)
    return touched


def _flags_for(item: Item, lexicon, duplicates: DuplicateIndex, model):
    context = ScreenContext(
        thread_id=item.root_external_id or item.parent_external_id or item.external_id,
        author_id=item.author_external_id or None,
        duplicates=duplicates,
    )
    # Spans point into the text the queue shows; a title is screened only without text.
    return screen_with_model(item.display_text or item.title, model, context, lexicon)


def _screen_batch(items: list[Item], policy, lexicon, duplicates, model) -> int:
    from kanalvakt.moderation.models import Category, ModerationCase, ModerationFlag

    categories = {c.id: c for c in Category.objects.all()}
    found = {}
    for item in items:
        flags = []
        for flag in _flags_for(item, lexicon, duplicates, model):
            override = policy.category_override(flag.category)
            if override.get("disabled") or flag.category not in categories:
                continue
            flags.append((flag, int(override.get("severity", flag.severity))))
        if flags:
            found[item.pk] = flags
    if not found:
        return 0
    with transaction.atomic():
        existing = {
            case.item_id: case
            for case in ModerationCase.objects.select_for_update().filter(item_id__in=found)
        }
        now = timezone.now()
        new_cases = []
        by_id = {item.pk: item for item in items}
        schedules = schedules_for({by_id[item_id].channel_id for item_id in found})
        for item_id, flags in found.items():
            priority = max(severity for _flag, severity in flags)
            case = existing.get(item_id)
            if case is None:
                new_cases.append(
                    ModerationCase(
                        item_id=item_id,
                        priority=priority,
                        captured_at=by_id[item_id].captured_at,
                        opened_at=now,
                        target_hours=policy.target_hours,
                        due_at=due_at(
                            schedules[by_id[item_id].channel_id],
                            by_id[item_id].captured_at,
                            policy.target_hours,
                        ),
                    )
                )
            elif case.state == ModerationCase.State.DECIDED:
                # An edited comment after a decision: reopen, the new text needs a look.
                case.state = ModerationCase.State.OPEN
                case.priority = priority
                case.save(update_fields=["state", "priority"])
            else:
                case.priority = priority
                case.save(update_fields=["priority"])
        ModerationCase.objects.bulk_create(new_cases)
        cases = {c.item_id: c for c in ModerationCase.objects.filter(item_id__in=found)}
        ModerationFlag.objects.filter(case__in=cases.values(), case__state="open").delete()
        ModerationFlag.objects.bulk_create(
            ModerationFlag(
                case=cases[item_id],
                item_id=item_id,
                category_id=flag.category,
                score=flag.score,
                spans=[list(span) for span in flag.spans],
                rule=flag.rule,
                explanation=flag.explanation_sv,
                severity=severity,
                statistical=flag.statistical,
                policy_version=policy,
                created_at=now,
            )
            for item_id, flags in found.items()
            for flag, severity in flags
        )
    return len(found)
