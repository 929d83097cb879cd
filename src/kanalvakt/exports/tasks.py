"""Background work of the exports app (scheduled in apps.py)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

RECENT_DAYS = 35  # a thread still gets comments for weeks; older ones are already cached


@task()
def render_recent_threads() -> int:
    """Render the thread PDFs of the recent weeks of every channel, so an e-archive delivery
    only copies them (ADR 0111). Unchanged threads are cache hits and cost nothing."""
    from kanalvakt.exports.sip import prerender_threads
    from kanalvakt.registry.models import Channel

    end = timezone.localdate()
    start = end - timedelta(days=RECENT_DAYS)
    rendered = 0
    for channel_id in Channel.objects.exclude(
        status__in=[Channel.Status.REQUESTED, Channel.Status.REJECTED]
    ).values_list("pk", flat=True):
        rendered += prerender_threads(channel_id, start, end, workers=1)[0]
    return rendered
