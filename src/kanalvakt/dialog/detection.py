"""Subscribed to archive.signals.items_captured: open questions, close answered ones.

A third-party item the detector judges a question becomes a Question with its deadline
fixed now. An owner item replying to a question (its parent) answers it; in a direct
message conversation, an owner message answers every earlier open question in it.
"""

from __future__ import annotations

import logging

from django.db import transaction

from kanalvakt.archive.models import Item, ItemKind
from kanalvakt.core.clock import deadline_for
from kanalvakt.dialog.models import Question
from kanalvakt.dialog.questions import detect_question
from kanalvakt.dialog.schedule import target_for_channel
from kanalvakt.registry.watch import schedule_for_channel

logger = logging.getLogger(__name__)


def on_items_captured(sender, channel=None, item_ids=(), source="", **kwargs):
    try:
        process_items(item_ids)
    except Exception:
        # Capture must never fail because question detection did; the items are archived.
        logger.exception("Question detection failed for %d items", len(item_ids))


def process_items(item_ids) -> tuple[int, int]:
    """Returns (questions opened, questions answered)."""
    items = list(
        Item.objects.filter(pk__in=list(item_ids))
        .exclude(question__isnull=False)
        .select_related("channel")
        .order_by("created_on_platform_at", "pk")
    )
    opened = _open_questions([i for i in items if not i.author_is_owner])
    answered = sum(answer_from_reply(i) for i in items if i.author_is_owner)
    return opened, answered


def _open_questions(items: list[Item]) -> int:
    schedules, targets, new = {}, {}, []
    for item in items:
        if item.kind == ItemKind.POST and item.parent_id is None and not item.text_plain:
            continue
        result = detect_question(item.display_text)
        if not result.is_question:
            continue
        if item.channel_id not in schedules:  # once per channel per batch
            schedules[item.channel_id] = schedule_for_channel(item.channel)
            targets[item.channel_id] = target_for_channel(item.channel)
        received = item.created_on_platform_at
        new.append(
            Question(
                item=item,
                channel_id=item.channel_id,
                cues=[c.code for c in result.cues],
                score=result.score,
                received_at=received,
                deadline=deadline_for(
                    schedules[item.channel_id], received, targets[item.channel_id]
                ),
            )
        )
    Question.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def answer_from_reply(reply: Item) -> int:
    """Mark the questions this owner item answers as answered at its time."""
    questions = Question.objects.filter(answered_at__isnull=True, channel_id=reply.channel_id)
    if reply.kind == ItemKind.DIRECT_MESSAGE and reply.root_id:
        questions = questions.filter(
            item__root_id=reply.root_id, received_at__lte=reply.created_on_platform_at
        )
    elif reply.parent_id:
        questions = questions.filter(item_id=reply.parent_id)
    else:
        return 0
    with transaction.atomic():
        return questions.update(
            answered_at=reply.created_on_platform_at,
            how_answered=Question.HowAnswered.REPLY_SEEN,
            answer_item=reply,
        )
