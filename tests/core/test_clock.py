"""The response-time clock (R3.1): edges by hand, invariants by hypothesis."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kanalvakt.core.clock import (
    OSBY_DEFAULT_TARGET,
    NaiveDatetimeError,
    ResponseTarget,
    WatchSchedule,
    WatchWindow,
    add_watched_time,
    deadline_for,
    is_watched,
    next_watched_moment,
    swedish_days_off,
    watched_duration,
)

pytestmark = pytest.mark.req("R3.1")

SE = ZoneInfo("Europe/Stockholm")
OFFICE = WatchSchedule.weekly()  # Mon–Fri 08–17, Swedish days off
WITH_SATURDAY = WatchSchedule.weekly(
    {range(5): [(time(8), time(17))], (5,): [(time(10), time(12))]}
)
ALWAYS = WatchSchedule.weekly({range(7): [(time(0), time(0))]}, holidays_off=False)
H = timedelta(hours=1)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SE)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between instants (subtracting within one ZoneInfo is wall-clock time)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


# --- days off -------------------------------------------------------------


def test_days_off_include_the_eves_municipalities_treat_as_holidays():
    days = swedish_days_off(2026)
    assert days[date(2026, 6, 19)] == "Midsommarafton"
    assert days[date(2026, 12, 24)] == "Julafton"
    assert days[date(2026, 12, 31)] == "Nyårsafton"
    assert days[date(2026, 4, 6)] == "Annandag påsk"
    assert days[date(2026, 6, 6)] == "Nationaldagen"


def test_ordinary_sundays_are_not_holidays_but_easter_sunday_is():
    days = swedish_days_off(2026)
    assert date(2026, 1, 11) not in days  # a plain Sunday
    assert date(2026, 4, 5) in days  # Påskdagen
    assert not any(name == "Söndag" for name in days.values())


def test_midsummer_eve_is_the_friday_between_19_and_25_june():
    for year in range(2024, 2035):
        eves = [d for d, n in swedish_days_off(year).items() if n == "Midsommarafton"]
        assert len(eves) == 1 and eves[0].weekday() == 4 and 19 <= eves[0].day <= 25


def test_a_year_of_office_hours_is_computed_instantly():
    # 2026: 261 weekdays, 10 of them days off → 251 working days of 9 hours.
    total = watched_duration(OFFICE, local(2026, 1, 1), local(2027, 1, 1))
    assert total == 251 * 9 * H


# --- the edges named in the issue -------------------------------------------


def test_friday_16_59_is_due_monday_16_59():
    assert deadline_for(OFFICE, local(2026, 1, 9, 16, 59)) == local(2026, 1, 12, 16, 59)


def test_friday_17_00_is_outside_watch_and_due_at_end_of_monday():
    assert not is_watched(OFFICE, local(2026, 1, 9, 17, 0))
    assert deadline_for(OFFICE, local(2026, 1, 9, 17, 0)) == local(2026, 1, 12, 17, 0)


def test_question_posted_at_night_is_due_at_end_of_that_working_day():
    assert deadline_for(OFFICE, local(2026, 1, 13, 2, 0)) == local(2026, 1, 13, 17, 0)


def test_question_at_opening_is_due_at_closing():
    assert deadline_for(OFFICE, local(2026, 1, 12, 8, 0)) == local(2026, 1, 12, 17, 0)


def test_easter_skips_good_friday_and_easter_monday():
    assert deadline_for(OFFICE, local(2026, 4, 2, 16, 59)) == local(2026, 4, 7, 16, 59)


def test_midsummer_eve_is_not_a_working_day():
    assert deadline_for(OFFICE, local(2026, 6, 18, 10)) == local(2026, 6, 22, 10)


def test_christmas_and_new_year():
    assert deadline_for(OFFICE, local(2026, 12, 23, 15)) == local(2026, 12, 28, 15)
    assert deadline_for(OFFICE, local(2026, 12, 30, 12)) == local(2027, 1, 4, 12)
    assert deadline_for(OFFICE, local(2027, 1, 5, 12)) == local(2027, 1, 7, 12)  # 6/1 off


def test_spring_forward_weekend_keeps_wall_clock_time():
    due = deadline_for(OFFICE, local(2026, 3, 27, 16))
    assert due == local(2026, 3, 30, 16)
    assert elapsed(local(2026, 3, 27, 16), due) == 71 * H  # one hour shorter in real time
    assert watched_duration(OFFICE, local(2026, 3, 27, 16), due) == 9 * H


def test_summer_time_days_are_23_and_25_hours_long_when_watched_all_day():
    assert watched_duration(ALWAYS, local(2026, 3, 29), local(2026, 3, 30)) == 23 * H
    assert watched_duration(ALWAYS, local(2026, 10, 25), local(2026, 10, 26)) == 25 * H


def test_window_through_the_fall_back_hour_counts_real_time():
    night = WatchSchedule.weekly({(6,): [(time(1), time(4))]}, holidays_off=False)
    assert watched_duration(night, local(2026, 10, 25), local(2026, 10, 26)) == 4 * H
    assert watched_duration(night, local(2026, 3, 29), local(2026, 3, 30)) == 2 * H


def test_saturday_window_counts_between_friday_and_monday():
    due = add_watched_time(WITH_SATURDAY, local(2026, 1, 9, 16, 30), 2 * H)
    assert due == local(2026, 1, 10, 11, 30)
    # One working day from Friday 16:00: Saturday is a working day, 16:00
    # is past its window, so the deadline is Saturday's closing.
    assert deadline_for(WITH_SATURDAY, local(2026, 1, 9, 16)) == local(2026, 1, 10, 12)


def test_watched_hours_target_runs_only_in_watch_time():
    target = ResponseTarget.parse("4 h")
    assert deadline_for(OFFICE, local(2026, 1, 9, 15), target) == local(2026, 1, 12, 10)


def test_extra_closed_dates_and_holidays_flag():
    closed = WatchSchedule.weekly(closed_dates={date(2026, 1, 12)})
    assert deadline_for(closed, local(2026, 1, 9, 16, 59)) == local(2026, 1, 13, 16, 59)
    holidays_on = WatchSchedule.weekly(holidays_off=False)
    assert is_watched(holidays_on, local(2026, 12, 24, 10))
    assert not is_watched(OFFICE, local(2026, 12, 24, 10))


def test_two_working_days():
    target = ResponseTarget(working_days=2)
    assert deadline_for(OFFICE, local(2026, 1, 8, 10), target) == local(2026, 1, 12, 10)


def test_results_are_in_the_schedule_zone_whatever_the_input_zone():
    due = deadline_for(OFFICE, datetime(2026, 1, 9, 15, 59, tzinfo=UTC))
    assert due == local(2026, 1, 12, 16, 59) and due.tzinfo == SE


def test_naive_datetimes_are_refused():
    naive = datetime(2026, 1, 9, 12)
    for call in (
        lambda: is_watched(OFFICE, naive),
        lambda: watched_duration(OFFICE, naive, local(2026, 1, 10)),
        lambda: add_watched_time(OFFICE, naive, H),
        lambda: deadline_for(OFFICE, naive),
    ):
        with pytest.raises(NaiveDatetimeError):
            call()


def test_invalid_schedules_and_targets():
    with pytest.raises(ValueError):
        WatchWindow(7, time(8), time(9))
    with pytest.raises(ValueError):
        WatchWindow(0, time(9), time(8))
    with pytest.raises(ValueError):
        WatchSchedule.weekly({(0,): [(time(8), time(12)), (time(11), time(13))]})
    with pytest.raises(ValueError):
        ResponseTarget(working_days=1, watched=H)
    with pytest.raises(ValueError):
        ResponseTarget.parse("snart")
    with pytest.raises(ValueError, match="no watched time"):
        add_watched_time(WatchSchedule(()), local(2026, 1, 1), H)


def test_response_target_parsing_and_default():
    assert ResponseTarget(working_days=1) == OSBY_DEFAULT_TARGET
    assert ResponseTarget.parse("2 arbetsdagar") == ResponseTarget(working_days=2)
    assert ResponseTarget.parse("1 working day") == ResponseTarget(working_days=1)
    assert ResponseTarget.parse("90 min").watched == timedelta(minutes=90)
    assert ResponseTarget.parse("3 timmar").describe_sv() == "3 h bevakad tid"


def test_schedule_round_trips_through_plain_data():
    data = {
        "windows": [
            {"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "end": "17:00"},
            {"weekdays": [5], "start": "10:00", "end": "12:00"},
        ],
        "timezone": "Europe/Stockholm",
        "holidays_off": True,
        "closed_dates": ["2026-07-20"],
    }
    schedule = WatchSchedule.from_mapping(data)
    assert schedule.weekdays == frozenset(range(6))
    assert WatchSchedule.from_mapping(schedule.to_mapping()) == schedule


def test_next_watched_moment():
    assert next_watched_moment(OFFICE, local(2026, 1, 10, 9)) == local(2026, 1, 12, 8)
    assert next_watched_moment(OFFICE, local(2026, 1, 12, 9)) == local(2026, 1, 12, 9)


# --- invariants -------------------------------------------------------------

# Python compares and subtracts datetimes sharing one ZoneInfo by wall clock,
# so the properties below order and measure instants in UTC.
moments = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.sampled_from([SE, UTC]),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=300))


@st.composite
def schedules(draw):
    windows = []
    for weekday in range(7):
        bounds = sorted(draw(st.sets(st.integers(0, 96), max_size=4)))
        for start, end in zip(bounds[::2], bounds[1::2], strict=False):
            to_time = lambda q: time(0) if q == 96 else time(q // 4, q % 4 * 15)  # noqa: E731
            windows.append(WatchWindow(weekday, to_time(start), to_time(end)))
    if not windows:
        windows.append(WatchWindow(draw(st.integers(0, 6)), time(9), time(10)))
    closed = draw(st.frozensets(st.dates(date(2025, 1, 1), date(2027, 12, 31)), max_size=5))
    return WatchSchedule(tuple(windows), holidays_off=draw(st.booleans()), closed_dates=closed)


@settings(max_examples=150, deadline=None)
@given(schedules(), moments, durations)
def test_adding_then_measuring_gives_back_the_duration(schedule, start, duration):
    end = add_watched_time(schedule, start, duration)
    assert elapsed(start, end) >= timedelta(0)
    assert watched_duration(schedule, start, end) == duration


@settings(max_examples=150, deadline=None)
@given(schedules(), moments, moments)
def test_measuring_then_adding_lands_on_or_before_the_end(schedule, a, b):
    start, end = sorted((a, b), key=lambda m: m.astimezone(UTC))
    measured = watched_duration(schedule, start, end)
    assert timedelta(0) <= measured <= elapsed(start, end)
    back = add_watched_time(schedule, start, measured)
    assert elapsed(back, end) >= timedelta(0)
    assert watched_duration(schedule, back, end) == timedelta(0)


@settings(max_examples=100, deadline=None)
@given(schedules(), moments, moments, moments)
def test_watched_time_is_additive(schedule, a, b, c):
    a, b, c = sorted((a, b, c), key=lambda m: m.astimezone(UTC))
    assert watched_duration(schedule, a, c) == (
        watched_duration(schedule, a, b) + watched_duration(schedule, b, c)
    )


@settings(max_examples=100, deadline=None)
@given(moments, moments)
def test_an_always_watched_schedule_measures_real_elapsed_time(a, b):
    start, end = sorted((a, b), key=lambda m: m.astimezone(UTC))
    assert watched_duration(ALWAYS, start, end) == elapsed(start, end)


@settings(max_examples=100, deadline=None)
@given(schedules(), moments, st.integers(1, 5))
def test_working_day_deadline_is_after_receipt_and_costs_watched_time(schedule, received, n):
    due = deadline_for(schedule, received, ResponseTarget(working_days=n))
    assert elapsed(received, due) >= timedelta(0)
    assert watched_duration(schedule, received, due) > timedelta(0)
    assert is_watched(schedule, due - timedelta(microseconds=1))
