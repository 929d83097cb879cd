"""Moderation demo: screen what the capture demo brought in (idempotent; capture already
triggered screening through the archive signal) plus one praising comment with a swear
word, and decide two cases so the queue shows both ends: an insult removed with its
evidence preserved, and the praise kept as a false positive (a training example). The
rest stay open for the visitor to decide."""

from datetime import timedelta

from django.utils import timezone

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item
from kanalvakt.capture.types import CapturedItem
from kanalvakt.moderation.actions import decide
from kanalvakt.moderation.models import Decision, ModerationCase
from kanalvakt.moderation.screening import screen_items

PRAISE = "Jävlar vad fint det blev på torget! Bra jobbat kommunen."


def _add_praise() -> None:
    post = Item.objects.filter(platform="facebook", author_is_owner=True, kind="post").first()
    if post is None or Item.objects.filter(text=PRAISE).exists():
        return
    external_id = f"{post.external_id.rsplit('_', 1)[-1]}_c90"
    created = timezone.now() - timedelta(minutes=50)
    ingest(
        post.channel,
        [
            CapturedItem(
                platform="facebook",
                external_id=external_id,
                kind="comment",
                parent_external_id=post.external_id,
                root_external_id=post.external_id,
                author_external_id="u190",
                author_display_name="Gunnel Ek",
                author_is_owner=False,
                text=PRAISE,
                language="sv",
                created_at=created,
                raw={"id": external_id, "message": PRAISE, "demo": True},
            )
        ],
        source="demo",
    )


def load(actor):
    _add_praise()
    unscreened = Item.objects.filter(author_is_owner=False, moderation_case__isnull=True)
    screen_items(list(unscreened.values_list("pk", flat=True)))
    open_cases = ModerationCase.objects.filter(state=ModerationCase.State.OPEN)
    insult = open_cases.filter(item__text__contains="jävla idioter").first()
    if insult is not None:
        decide(
            actor,
            insult,
            decision=Decision.REMOVE,
            reason="Personligt angrepp och svordomar (R4.2a, R4.2f).",
        )
    praise = open_cases.filter(item__text=PRAISE).first()
    if praise is not None:
        decide(
            actor,
            praise,
            decision=Decision.KEEP,
            reason="Svordomen uttrycker beröm, inte ett angrepp: får stå kvar.",
        )
