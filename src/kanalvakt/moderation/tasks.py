"""Background work of moderation: platform actions after a decision, and their retries."""

from django.db.models import Q
from django.utils import timezone
from django_tasks import task


@task()
def run_platform_action(action_id: int) -> str:
    from kanalvakt.moderation.models import PlatformAction
    from kanalvakt.moderation.platform_actions import execute

    action = PlatformAction.objects.select_related("case__item__channel").get(pk=action_id)
    if action.state not in (PlatformAction.State.PENDING, PlatformAction.State.FAILED):
        return action.state
    return execute(action).state


@task()
def retry_platform_actions() -> int:
    """Scheduled: pending actions whose task was lost, and failed ones whose wait is over."""
    from kanalvakt.moderation.models import PlatformAction
    from kanalvakt.moderation.platform_actions import execute

    due = PlatformAction.objects.filter(
        Q(state=PlatformAction.State.PENDING)
        | Q(state=PlatformAction.State.FAILED, next_attempt_at__lte=timezone.now())
    ).select_related("case__item__channel")
    count = 0
    for action in due:
        execute(action)
        count += 1
    return count
