"""Dialog demo: questions from the captured demo items (capture already opened them through
the archive signal; this catches up idempotently), plus two more so every state shows: one
answered by a captured reply, one marked handled, one overdue, one forwarded; the rest open."""

from datetime import timedelta

from django.utils import timezone

from kanalvakt.archive.ingest import ingest
from kanalvakt.archive.models import Item
from kanalvakt.capture.types import CapturedItem
from kanalvakt.dialog.actions import mark_handled
from kanalvakt.dialog.detection import process_items
from kanalvakt.dialog.forward_actions import forward_item
from kanalvakt.dialog.models import Forward, Question

EXTRA = [
    ("c91", "Hej! När töms soptunnorna i Rya under julveckan?", "Kerstin Holm"),
    ("c92", "Vem ska man kontakta om gatlyktorna på Storgatan som är släckta?", "Ali Hassan"),
]


def _add_questions() -> None:
    post = Item.objects.filter(platform="facebook", author_is_owner=True, kind="post").first()
    if post is None:
        return
    base = post.external_id.rsplit("_", 1)[-1]
    created = timezone.now() - timedelta(hours=3)
    batch = [
        CapturedItem(
            platform="facebook",
            external_id=f"{base}_{suffix}",
            kind="comment",
            parent_external_id=post.external_id,
            root_external_id=post.external_id,
            author_external_id=f"u{suffix}",
            author_display_name=author,
            author_is_owner=False,
            text=text,
            language="sv",
            created_at=created,
            raw={"id": f"{base}_{suffix}", "message": text},
        )
        for suffix, text, author in EXTRA
        if not Item.objects.filter(platform="facebook", external_id=f"{base}_{suffix}").exists()
    ]
    if batch:
        ingest(post.channel, batch, source="demo")


def load(actor):
    _add_questions()
    unprocessed = Item.objects.filter(question__isnull=True)
    process_items(list(unprocessed.values_list("pk", flat=True)))
    # Demo items are dated relative to the moment the demo loads, so their working-day
    # deadlines may already have passed in the evening; give every open one a fresh
    # deadline so exactly one is overdue whatever the time of day.
    now = timezone.now()
    Question.objects.filter(answered_at__isnull=True).update(deadline=now + timedelta(hours=6))
    open_questions = list(
        Question.objects.filter(answered_at__isnull=True).select_related("channel").order_by("pk")
    )
    if len(open_questions) < 3:
        return
    # The overdue one goes to the fire service's account, which the compliance demo already
    # shows in violation (missing website link), so that overview keeps its mix.
    overdue = next(
        (q for q in open_questions if q.channel.display_name.startswith("Räddningstjänsten")),
        open_questions[1],
    )
    rest = [q for q in open_questions if q != overdue]
    handled, forwarded = rest[0], rest[-1]
    mark_handled(actor, handled, reason="Besvarad per telefon av kundtjänst.")
    received = now - timedelta(days=5)
    Question.objects.filter(pk=overdue.pk).update(
        received_at=received, deadline=received + timedelta(days=1)
    )
    if not Forward.objects.filter(item=forwarded.item).exists():
        forward_item(
            actor,
            forwarded.item,
            to_email="gatuenheten@osby.example",
            message="Kan ni svara på den här frågan om gatubelysningen? Vi publicerar svaret.",
        )
