from django.utils import timezone
from django_tasks import task

from kanalvakt.core.models import Heartbeat


@task()
def heartbeat():
    """Shows the worker is alive: the start page and the compliance view read it."""
    Heartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})
