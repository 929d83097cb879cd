"""Response-time figures per channel and month (R3.1, R3.4).

Time to first answer is counted in watched time only (the channel's plan schedule), so a
question sent on Friday evening and answered on Monday morning is not "three days late".
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_noop

from kanalvakt.core.clock import watched_duration
from kanalvakt.dialog.models import Forward, Question
from kanalvakt.registry.models import Channel
from kanalvakt.registry.watch import current_plans, schedule_for_plan


@dataclass
class ChannelFigures:
    channel: Channel
    questions: int = 0
    answered: int = 0
    within_target: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None
    forwarded: int = 0
    forwards_closed: int = 0
    median_close_days: float | None = None

    @property
    def share_within_target(self) -> float | None:
        return round(100 * self.within_target / self.questions, 1) if self.questions else None


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: a value that actually occurred."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def figures(start: datetime, end: datetime, channels=None) -> list[ChannelFigures]:
    """Questions received and forwards sent in [start, end], per channel that had any."""
    questions = Question.objects.filter(received_at__gte=start, received_at__lte=end)
    forwards = Forward.objects.filter(sent_at__gte=start, sent_at__lte=end)
    if channels is not None:
        questions = questions.filter(channel__in=channels)
        forwards = forwards.filter(channel__in=channels)
    q_rows = list(questions.values_list("channel_id", "received_at", "deadline", "answered_at"))
    f_rows = list(forwards.values_list("channel_id", "sent_at", "closed_at"))
    ids = {r[0] for r in q_rows} | {r[0] for r in f_rows}
    plans = current_plans(ids)
    by_channel = {
        c.pk: ChannelFigures(c) for c in Channel.objects.filter(pk__in=ids).order_by("display_name")
    }
    durations: dict[int, list[float]] = {}
    for channel_id, received, deadline, answered in q_rows:
        fig = by_channel[channel_id]
        fig.questions += 1
        if answered is None:
            continue
        fig.answered += 1
        fig.within_target += answered <= deadline
        schedule = schedule_for_plan(plans.get(channel_id))
        durations.setdefault(channel_id, []).append(
            _hours(watched_duration(schedule, received, max(received, answered)))
        )
    close_days: dict[int, list[float]] = {}
    for channel_id, sent, closed in f_rows:
        fig = by_channel[channel_id]
        fig.forwarded += 1
        if closed:
            fig.forwards_closed += 1
            close_days.setdefault(channel_id, []).append(
                round((closed - sent).total_seconds() / 86400, 1)
            )
    for channel_id, fig in by_channel.items():
        if values := durations.get(channel_id):
            fig.median_hours = round(statistics.median(values), 1)
            fig.p90_hours = _percentile(values, 0.9)
        if values := close_days.get(channel_id):
            fig.median_close_days = round(statistics.median(values), 1)
    return list(by_channel.values())


# Marked for translation here, translated where shown (table, CSV, monthly report).
HEADERS = (
    gettext_noop("Account"),
    gettext_noop("Questions"),
    gettext_noop("Answered"),
    gettext_noop("Answered within target (%)"),
    gettext_noop("Median time to answer (watched h)"),
    gettext_noop("90th percentile (watched h)"),
    gettext_noop("Forwarded"),
    gettext_noop("Median time to close a forward (days)"),
)


def rows(figs: list[ChannelFigures]) -> list[list]:
    def show(value):
        return "–" if value is None else value

    return [
        [
            f.channel.display_name,
            f.questions,
            f.answered,
            show(f.share_within_target),
            show(f.median_hours),
            show(f.p90_hours),
            f.forwarded,
            show(f.median_close_days),
        ]
        for f in figs
    ]
