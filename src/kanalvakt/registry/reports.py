"""Registry facts other views build on: inactivity (R3.2) and purposes (R1.3)."""

from collections import Counter
from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kanalvakt.registry.models import ActivityPlanVersion, Channel


def with_update_interval(queryset):
    """Annotate each channel with its current plan's update interval, in one query."""
    latest = ActivityPlanVersion.objects.filter(channel=OuterRef("pk")).order_by("-version")
    return queryset.annotate(
        update_interval_days=Subquery(latest.values("update_interval_days")[:1])
    )


def is_inactive(channel: Channel, update_interval_days: int | None, now=None) -> bool:
    """An active channel whose last own post is older than its plan's update interval.
    A channel with no known post counts from when it went live."""
    if channel.status != Channel.Status.ACTIVE or not update_interval_days:
        return False
    now = now or timezone.now()
    last = channel.last_own_post_at or channel.status_changed_at
    return now - last > timedelta(days=update_interval_days)


def inactive_channels(now=None) -> list[Channel]:
    channels = with_update_interval(Channel.objects.filter(status=Channel.Status.ACTIVE))
    return [
        c
        for c in channels.select_related("platform")
        if is_inactive(c, c.update_interval_days, now)
    ]


def channels_by_purpose(queryset=None) -> Counter:
    """How many channels serve each purpose (a channel may serve several)."""
    queryset = queryset if queryset is not None else Channel.objects.listed()
    return Counter(p for purposes in queryset.values_list("purposes", flat=True) for p in purposes)
