"""Response-time clock: watched time and deadlines by an account's schedule (R2.3, R3.1).

A channel's activity plan says when it is watched (e.g. Mon–Fri 08–17,
Sat 10–12). The clock only runs inside those windows, never on Swedish
public holidays or the days municipalities treat as holidays
(midsommarafton, julafton, nyårsafton), nor on extra closed dates.

Arithmetic works per calendar day (O(days), not O(minutes)) on aware
datetimes; window bounds are local wall-clock times in the schedule's zone
and are converted to UTC per day, so summer-time days are 23 or 25 hours
long where the window spans the change. Naive datetimes are rejected.
The definition of "N working days" is ADR 0101.

Pure Python; no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

STOCKHOLM = "Europe/Stockholm"
MIDNIGHT = time(0)
# Guard for schedules that are never open: stop searching after this many
# days rather than loop for ever.
MAX_CLOSED_DAYS = 400


class NaiveDatetimeError(ValueError):
    """Raised when a naive datetime reaches the clock."""


@dataclass(frozen=True)
class WatchWindow:
    """Watched on `weekday` (0 = Monday) from `start` to `end` local time.

    `end` 00:00 means midnight at the end of the day.
    """

    weekday: int
    start: time
    end: time

    def __post_init__(self):
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0–6, got {self.weekday}")
        if self.end != MIDNIGHT and self.end <= self.start:
            raise ValueError(f"window must end after it starts: {self.start}–{self.end}")

    @property
    def end_seconds(self) -> int:
        return 86400 if self.end == MIDNIGHT else _seconds(self.end)


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@dataclass(frozen=True)
class WatchSchedule:
    """When a channel is watched (the monitoring part of its activity plan)."""

    windows: tuple[WatchWindow, ...]
    timezone: str = STOCKHOLM
    holidays_off: bool = True
    closed_dates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self):
        object.__setattr__(
            self, "windows", tuple(sorted(self.windows, key=lambda w: (w.weekday, w.start)))
        )
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        ZoneInfo(self.timezone)  # fails early on an unknown zone
        for first, second in zip(self.windows, self.windows[1:], strict=False):
            if first.weekday == second.weekday and _seconds(second.start) < first.end_seconds:
                raise ValueError(f"overlapping windows on weekday {first.weekday}")

    @classmethod
    def weekly(
        cls,
        days: Mapping[Iterable[int], Iterable[tuple[time, time]]] | None = None,
        **options,
    ) -> WatchSchedule:
        """Build from {weekdays: [(start, end), …]}; default Mon–Fri 08:00–17:00."""
        days = days if days is not None else {range(5): [(time(8), time(17))]}
        windows = tuple(
            WatchWindow(day, start, end)
            for weekdays, spans in days.items()
            for day in weekdays
            for start, end in spans
        )
        return cls(windows, **options)

    @classmethod
    def from_mapping(cls, data: Mapping) -> WatchSchedule:
        """From JSON-friendly data (as stored in an activity plan)::

        {"windows": [{"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "end": "17:00"}],
         "timezone": "Europe/Stockholm", "holidays_off": true, "closed_dates": ["2026-07-20"]}
        """
        windows = tuple(
            WatchWindow(day, _parse_time(spec["start"]), _parse_time(spec["end"]))
            for spec in data.get("windows", ())
            for day in spec["weekdays"]
        )
        return cls(
            windows,
            timezone=data.get("timezone", STOCKHOLM),
            holidays_off=bool(data.get("holidays_off", True)),
            closed_dates=frozenset(date.fromisoformat(d) for d in data.get("closed_dates", ())),
        )

    def to_mapping(self) -> dict:
        grouped: dict[tuple[str, str], list[int]] = {}
        for w in self.windows:
            key = (
                w.start.strftime("%H:%M"),
                "24:00" if w.end == MIDNIGHT else w.end.strftime("%H:%M"),
            )
            grouped.setdefault(key, []).append(w.weekday)
        return {
            "windows": [
                {"weekdays": days, "start": start, "end": end}
                for (start, end), days in grouped.items()
            ],
            "timezone": self.timezone,
            "holidays_off": self.holidays_off,
            "closed_dates": sorted(d.isoformat() for d in self.closed_dates),
        }

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(w.weekday for w in self.windows)

    def is_day_off(self, day: date) -> bool:
        return day in self.closed_dates or (self.holidays_off and day in _days_off_set(day.year))

    def is_working_day(self, day: date) -> bool:
        """A date with watched time: a scheduled weekday that is not a day off."""
        return day.weekday() in self.weekdays and not self.is_day_off(day)

    def intervals_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The watched intervals of a local date, as UTC datetimes."""
        if not self.is_working_day(day):
            return []
        tz, out = self.tz, []
        for w in self.windows:
            if w.weekday != day.weekday():
                continue
            start = datetime.combine(day, w.start, tzinfo=tz).astimezone(UTC)
            end_day = day + timedelta(days=1) if w.end == MIDNIGHT else day
            end = datetime.combine(end_day, w.end, tzinfo=tz).astimezone(UTC)
            if end > start:  # a bound inside the spring-forward gap can empty a window
                out.append((start, end))
        return out


def _parse_time(value: str | time) -> time:
    if isinstance(value, time):
        return value
    return MIDNIGHT if value in {"24:00", "24:00:00"} else time.fromisoformat(value)


# --- Swedish days off ------------------------------------------------------


@lru_cache(maxsize=64)
def _days_off(year: int) -> tuple[tuple[date, str], ...]:
    # holidays.SE lists public holidays only when include_sundays is False
    # (older releases defaulted to listing every Sunday as a holiday).
    public = holidays.country_holidays("SE", years=year, language="sv", include_sundays=False)
    days = {day: name for day, name in public.items() if day.weekday() != 6 or name != "Söndag"}
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    # Days municipalities treat as holidays (SFS 1977:480 § 7); newer
    # holidays releases carry them in their DE_FACTO category.
    days.setdefault(midsummer_eve, "Midsommarafton")
    days.setdefault(date(year, 12, 24), "Julafton")
    days.setdefault(date(year, 12, 31), "Nyårsafton")
    return tuple(sorted(days.items()))


@lru_cache(maxsize=64)
def _days_off_set(year: int) -> frozenset[date]:
    return frozenset(day for day, _ in _days_off(year))


def swedish_days_off(year: int) -> dict[date, str]:
    """Swedish public holidays plus midsommarafton, julafton and nyårsafton.

    Ordinary Sundays are not listed: whether Sunday is watched is the
    schedule's business.
    """
    return dict(_days_off(year))


# --- clock arithmetic ------------------------------------------------------


def _require_aware(*values: datetime) -> None:
    for value in values:
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(f"aware datetime required, got naive {value!r}")


def _intervals_from(
    schedule: WatchSchedule, start: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Watched UTC intervals ending after `start`, in order, for ever."""
    start = start.astimezone(UTC)
    day = start.astimezone(schedule.tz).date() - timedelta(days=1)
    idle_days = 0
    while True:
        intervals = [(a, b) for a, b in schedule.intervals_on(day) if b > start]
        idle_days = 0 if intervals else idle_days + 1
        if idle_days > MAX_CLOSED_DAYS:
            raise ValueError(f"schedule has no watched time for {MAX_CLOSED_DAYS} days")
        for a, b in intervals:
            yield max(a, start), b
        day += timedelta(days=1)


def is_watched(schedule: WatchSchedule, moment: datetime) -> bool:
    _require_aware(moment)
    local = moment.astimezone(schedule.tz)
    instant = moment.astimezone(UTC)
    return any(
        a <= instant < b
        for day in (local.date() - timedelta(days=1), local.date())
        for a, b in schedule.intervals_on(day)
    )


def watched_duration(schedule: WatchSchedule, start: datetime, end: datetime) -> timedelta:
    """Watched time between two instants; zero when `end` is not after `start`."""
    _require_aware(start, end)
    end = end.astimezone(UTC)
    total = timedelta(0)
    if end <= start:
        return total
    for a, b in _intervals_from(schedule, start):
        if a >= end:
            break
        total += min(b, end) - a
    return total


def add_watched_time(schedule: WatchSchedule, start: datetime, duration: timedelta) -> datetime:
    """The earliest instant by which `duration` of watched time has passed since `start`.

    Returned in the schedule's time zone. A zero duration returns `start`.
    """
    _require_aware(start)
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    if duration == timedelta(0):
        return start.astimezone(schedule.tz)
    remaining = duration
    for a, b in _intervals_from(schedule, start):
        if b - a >= remaining:
            return (a + remaining).astimezone(schedule.tz)
        remaining -= b - a
    raise AssertionError("unreachable: _intervals_from is endless")  # pragma: no cover


def next_watched_moment(schedule: WatchSchedule, moment: datetime) -> datetime:
    """`moment` if it is watched, else the next opening of a window."""
    _require_aware(moment)
    a, _ = next(_intervals_from(schedule, moment))
    return a.astimezone(schedule.tz)


# --- response targets ------------------------------------------------------

_TARGET_RE = re.compile(
    r"^\s*(?P<n>\d+)\s*(?P<unit>working days?|arbetsdag(ar)?|h|hours?|timm(e|ar)|"
    r"min|minutes?|minut(er)?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ResponseTarget:
    """How soon a question must be answered: N working days or watched time."""

    working_days: int = 0
    watched: timedelta = timedelta(0)

    def __post_init__(self):
        if (self.working_days > 0) == (self.watched > timedelta(0)):
            raise ValueError("give exactly one of working_days > 0 or watched > 0")
        if self.working_days < 0:
            raise ValueError("working_days must not be negative")

    @classmethod
    def parse(cls, text: str) -> ResponseTarget:
        """'1 working day', '2 arbetsdagar', '4 h', '4 timmar', '90 min'."""
        match = _TARGET_RE.match(text)
        if not match:
            raise ValueError(f"not a response target: {text!r}")
        n, unit = int(match["n"]), match["unit"].lower()
        if unit.startswith(("working", "arbetsdag")):
            return cls(working_days=n)
        if unit.startswith(("h", "timm")):
            return cls(watched=timedelta(hours=n))
        return cls(watched=timedelta(minutes=n))

    def describe_sv(self) -> str:
        if self.working_days:
            return f"{self.working_days} arbetsdag" + ("ar" if self.working_days > 1 else "")
        minutes = int(self.watched.total_seconds() // 60)
        hours, minutes = divmod(minutes, 60)
        parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
        return " ".join(p for p in parts if p) + " bevakad tid"


# Osby's guideline asks for quick answers; the default is one working day.
OSBY_DEFAULT_TARGET = ResponseTarget(working_days=1)


def deadline_for(
    schedule: WatchSchedule, received_at: datetime, target: ResponseTarget = OSBY_DEFAULT_TARGET
) -> datetime:
    """When a question received at `received_at` must be answered (ADR 0101).

    Watched-time targets run the clock for that long. "N working days": the
    clock starts at the first watched moment (t0); the deadline is the same
    local clock time on the N-th working day after t0's date (capped at that
    day's last window end), normalised to the earliest instant with the same
    watched time — so a question arriving at night or at opening is due when
    the first working day's watch ends.
    """
    _require_aware(received_at)
    if not target.working_days:
        return add_watched_time(schedule, received_at, target.watched)
    t0 = next_watched_moment(schedule, received_at)
    day, left, idle = t0.date(), target.working_days, 0
    while left:
        day += timedelta(days=1)
        idle += 1
        if idle > MAX_CLOSED_DAYS:
            raise ValueError(f"schedule has no working day within {MAX_CLOSED_DAYS} days")
        if schedule.is_working_day(day):
            left, idle = left - 1, 0
    clock_time = datetime.combine(day, t0.timetz().replace(tzinfo=None), tzinfo=schedule.tz)
    last_end = max(b for _, b in schedule.intervals_on(day))
    target_moment = min(clock_time.astimezone(UTC), last_end)
    return add_watched_time(schedule, t0, watched_duration(schedule, t0, target_moment))
