"""Working time: the calendar the SOP's time standards are counted in (``sop.rules.WorkingCalendar``).

Properties are checked with Hypothesis over random calendars (random hours per weekday, random
holiday sets) and random instants with seconds and microseconds; the frozen examples are the
office's real week (Mon–Thu 07:30–16:00, Fri 07:30–13:30 WITA) and Indonesia's national holidays
of 2026/2027 from the ``holidays`` library.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sop import rules
from sop.rules import DueState, WorkingCalendar

WITA = ZoneInfo("Asia/Makassar")
NATIONAL = frozenset(holidays.Indonesia(years=[2026, 2027, 2028]).keys())
OFFICE = WorkingCalendar(holidays=NATIONAL)
PLAIN = WorkingCalendar()  # the default hours, no holiday


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


# --- strategies ----------------------------------------------------------------------------------

FIRST_DAY, LAST_DAY = dt.date(2026, 1, 1), dt.date(2027, 12, 31)


def _time(minute_of_day: int) -> dt.time:
    return dt.time(minute_of_day // 60, minute_of_day % 60)


@st.composite
def day_hours(draw):
    """Zero, one or two periods within a day (a morning and an afternoon, with a break)."""
    count = draw(st.integers(0, 2))
    marks = sorted(draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=2 * count, max_size=2 * count)))
    return tuple((_time(marks[i]), _time(marks[i + 1])) for i in range(0, len(marks), 2))


@st.composite
def calendars(draw):
    hours = {weekday: draw(day_hours()) for weekday in range(7)}
    assume(any(hours.values()))
    days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY + dt.timedelta(days=60))
    holiday_set = draw(st.frozensets(days, max_size=40))
    return WorkingCalendar(hours=hours, holidays=holiday_set)


instants = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31, 23, 59, 59, 999999)
).map(lambda naive: naive.replace(tzinfo=WITA))
minutes = st.integers(min_value=0, max_value=3000)
any_calendar = st.one_of(st.just(OFFICE), calendars())


# --- properties ----------------------------------------------------------------------------------


@given(any_calendar, instants, minutes)
def test_the_deadline_is_never_before_the_start(calendar, start, m):
    assert calendar.add(start, m) >= start


@given(any_calendar, instants, instants, minutes)
def test_a_later_start_never_gives_an_earlier_deadline(calendar, a, b, m):
    early, late = sorted([a, b])
    assert calendar.add(early, m) <= calendar.add(late, m)


@given(any_calendar, instants, minutes, minutes)
def test_a_longer_standard_never_gives_an_earlier_deadline(calendar, start, m1, m2):
    small, large = sorted([m1, m2])
    assert calendar.add(start, small) <= calendar.add(start, large)


@given(any_calendar, instants, minutes)
def test_the_deadline_is_exactly_the_standard_in_working_minutes(calendar, start, m):
    """From any start — inside office hours or not — the working time up to the deadline is the
    standard, to the microsecond, and the deadline is the first moment it is reached."""
    due = calendar.add(start, m)
    assert calendar.working_time(start, due) == dt.timedelta(minutes=m)
    assert calendar.working_minutes(start, due) == m
    assert rules.minutes_over(start, due, m, calendar) == 0
    if m > 0:
        assert calendar.working_time(start, due - dt.timedelta(microseconds=1)) < dt.timedelta(minutes=m)


@given(any_calendar, instants, st.integers(min_value=1, max_value=3000))
def test_a_deadline_falls_inside_office_hours(calendar, start, m):
    due = calendar.add(start, m)
    assert calendar.is_working_day(due.date())
    assert any(open_at < due <= close_at for open_at, close_at in calendar.intervals(due.date()))


@given(any_calendar, instants, instants, instants)
def test_working_time_adds_up_over_consecutive_spans(calendar, a, b, c):
    a, b, c = sorted([a, b, c])
    assert calendar.working_time(a, c) == calendar.working_time(a, b) + calendar.working_time(b, c)
    assert calendar.working_minutes(a, c) <= rules.elapsed_minutes(a, c)


@given(calendars(), instants, minutes, st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_a_new_holiday_never_makes_a_deadline_earlier(calendar, start, m, holiday):
    with_holiday = WorkingCalendar(hours=calendar.hours, holidays=calendar.holidays | {holiday})
    assume(any(with_holiday.is_working_day(FIRST_DAY + dt.timedelta(days=n)) for n in range(900)))
    assert with_holiday.add(start, m) >= calendar.add(start, m)
    end = start + dt.timedelta(days=9)
    assert with_holiday.working_time(start, end) <= calendar.working_time(start, end)


@given(any_calendar, st.dates(min_value=FIRST_DAY, max_value=LAST_DAY), st.times(), st.times())
def test_holidays_and_closed_weekdays_never_count(calendar, day, t1, t2):
    closed = WorkingCalendar(hours=calendar.hours, holidays=calendar.holidays | {day})
    a, b = sorted([dt.datetime.combine(day, t1, tzinfo=WITA), dt.datetime.combine(day, t2, tzinfo=WITA)])
    assert closed.working_time(a, b) == dt.timedelta(0)
    whole_day = (dt.datetime.combine(day, dt.time.min, tzinfo=WITA), dt.datetime.combine(day, dt.time.max, tzinfo=WITA))
    assert closed.working_minutes(*whole_day) == 0
    if day.weekday() not in calendar.hours:
        assert calendar.working_minutes(*whole_day) == 0


@given(any_calendar, instants, st.integers(min_value=1, max_value=600), st.integers(min_value=0, max_value=20000))
def test_due_state_agrees_with_minutes_over_and_remaining(calendar, start, standard, later):
    now = start + dt.timedelta(minutes=later)
    state = rules.due_state(start, now, standard, calendar)
    over = rules.minutes_over(start, now, standard, calendar)
    remaining = rules.remaining_minutes(start, now, standard, calendar)
    assert (state == DueState.OVERDUE) == (over > 0)
    assert remaining == (-over if over else standard - rules.elapsed_minutes(start, now, calendar))
    due = calendar.add(start, standard)
    assert (now > due) >= (state == DueState.OVERDUE)  # overdue only after the deadline
    if state == DueState.ON_TIME:
        assert rules.elapsed_minutes(start, now, calendar) < rules.due_soon_after(standard)


@settings(max_examples=50)
@given(instants, minutes)
def test_the_same_instant_in_another_zone_gives_the_same_deadline(start, m):
    assert OFFICE.add(start.astimezone(dt.UTC), m) == OFFICE.add(start, m)
    assert OFFICE.add(start, m).tzinfo == WITA


# --- the office's real weeks --------------------------------------------------------------------


def test_three_hours_from_friday_afternoon_are_due_monday_morning():
    """One hour on Friday (until 13:30), two on Monday from 07:30."""
    start = wita(2026, 11, 27, 12, 30)  # a Friday
    assert OFFICE.add(start, 180) == wita(2026, 11, 30, 9, 30)
    assert rules.deadline(start, 180, OFFICE) == wita(2026, 11, 30, 9, 30)
    assert rules.elapsed_minutes(start, wita(2026, 11, 30, 9, 30), OFFICE) == 180
    assert rules.elapsed_minutes(start, wita(2026, 11, 28, 10, 0), OFFICE) == 60  # Saturday counts nothing


def test_friday_short_hours():
    friday = wita(2026, 11, 27, 13, 0)
    assert OFFICE.add(friday, 30) == wita(2026, 11, 27, 13, 30)  # due at closing time, not Monday
    assert OFFICE.add(friday, 31) == wita(2026, 11, 30, 7, 31)
    assert OFFICE.add(wita(2026, 11, 26, 15, 50), 30) == wita(2026, 11, 27, 7, 50)  # Thursday into Friday
    assert OFFICE.working_minutes(wita(2026, 11, 27, 7, 0), wita(2026, 11, 27, 18, 0)) == 6 * 60
    assert OFFICE.working_minutes(wita(2026, 11, 26, 7, 0), wita(2026, 11, 26, 18, 0)) == 8 * 60 + 30


def test_christmas_2026_does_not_count():
    """Thursday 24 December: one hour left that day; Christmas (Friday) and the weekend are off."""
    assert dt.date(2026, 12, 25) in NATIONAL
    start = wita(2026, 12, 24, 15, 0)
    assert OFFICE.add(start, 180) == wita(2026, 12, 28, 9, 30)
    assert PLAIN.add(start, 180) == wita(2026, 12, 25, 9, 30)  # without the holiday it would be Friday
    assert OFFICE.working_minutes(wita(2026, 12, 25, 0, 0), wita(2026, 12, 27, 23, 59)) == 0


def test_across_the_year_end_and_new_year():
    """New Year's Day 2027 is a Friday; Isra' Mi'raj is Tuesday 5 January 2027."""
    assert {dt.date(2027, 1, 1), dt.date(2027, 1, 5)} <= NATIONAL
    assert OFFICE.add(wita(2026, 12, 31, 15, 30), 180) == wita(2027, 1, 4, 10, 0)
    assert OFFICE.add(wita(2027, 1, 4, 15, 0), 120) == wita(2027, 1, 6, 8, 30)
    assert OFFICE.working_minutes(wita(2026, 12, 31, 15, 30), wita(2027, 1, 4, 10, 0)) == 180


def test_nyepi_2027_and_a_local_holiday_beside_it():
    """Nyepi (Monday 8 March 2027) is national; Ngembak Geni the next day is a Balinese holiday
    the administrator enters; Idul Fitri follows (10–11 March, the library's estimate)."""
    assert dt.date(2027, 3, 8) in NATIONAL
    bali = WorkingCalendar(holidays=NATIONAL | {dt.date(2027, 3, 9)})
    start = wita(2027, 3, 5, 13, 0)  # Friday
    assert bali.add(start, 60) == wita(2027, 3, 12, 8, 0)
    assert OFFICE.add(start, 60) == wita(2027, 3, 9, 8, 0)


def test_a_step_started_at_night_or_on_sunday_counts_from_the_next_opening():
    assert OFFICE.add(wita(2026, 11, 29, 20, 0), 30) == wita(2026, 11, 30, 8, 0)  # Sunday evening
    assert OFFICE.add(wita(2026, 11, 24, 22, 0), 10) == wita(2026, 11, 25, 7, 40)  # Tuesday night
    assert OFFICE.add(wita(2026, 11, 25, 6, 0), 10) == wita(2026, 11, 25, 7, 40)  # before opening
    assert OFFICE.add(wita(2026, 11, 25, 16, 0), 10) == wita(2026, 11, 26, 7, 40)  # at closing time
    assert OFFICE.next_opening(wita(2026, 11, 29, 20, 0)) == wita(2026, 11, 30, 7, 30)
    assert OFFICE.next_opening(wita(2026, 11, 30, 9, 0)) == wita(2026, 11, 30, 9, 0)
    assert OFFICE.working_minutes(wita(2026, 11, 29, 20, 0), wita(2026, 11, 30, 7, 30)) == 0


def test_a_day_with_a_break():
    calendar = WorkingCalendar(hours={0: ((dt.time(12, 0), dt.time(16, 0)), (dt.time(8, 0), dt.time(11, 0)))})
    monday = wita(2026, 11, 30, 10, 0)
    assert calendar.hours[0][0] == (dt.time(8, 0), dt.time(11, 0))  # stored in order
    assert calendar.add(monday, 90) == wita(2026, 11, 30, 12, 30)
    assert calendar.working_minutes(monday, wita(2026, 11, 30, 13, 0)) == 120


def test_due_state_on_the_office_calendar():
    friday = wita(2026, 11, 27, 13, 20)
    assert rules.due_state(friday, wita(2026, 11, 27, 13, 25), 30, OFFICE) == DueState.ON_TIME
    # 10 minutes on Friday, 15 on Monday: 25 of 30 used, past 80 %.
    monday = wita(2026, 11, 30, 7, 45)
    assert rules.due_state(friday, monday, 30, OFFICE) == DueState.DUE_SOON
    assert rules.remaining_minutes(friday, monday, 30, OFFICE) == 5
    assert rules.due_state(friday, wita(2026, 11, 30, 7, 51), 30, OFFICE) == DueState.OVERDUE
    assert rules.remaining_minutes(friday, wita(2026, 11, 30, 7, 51), 30, OFFICE) == -1
    # On the wall clock the same step was late all weekend.
    assert rules.due_state(friday, monday, 30) == DueState.OVERDUE
    assert DueState.DUE_SOON.label == "segera jatuh tempo"


@pytest.mark.parametrize(
    ("standard", "share", "minute"), [(10, 0.8, 8), (30, 0.8, 24), (45, 0.8, 36), (180, 0.8, 144), (3, 0.8, 3), (5, 0.5, 3), (1, 0.1, 1)]
)
def test_due_soon_starts_at_the_share_rounded_up(standard, share, minute):
    assert rules.due_soon_after(standard, share) == minute
    start = wita(2026, 11, 30, 8, 0)
    before = rules.due_state(start, start + dt.timedelta(minutes=minute - 1), standard, OFFICE, share)
    at = rules.due_state(start, start + dt.timedelta(minutes=minute), standard, OFFICE, share)
    assert (before, at) == (DueState.ON_TIME, DueState.DUE_SOON)


@pytest.mark.parametrize("share", [0, -0.5, 1.5])
def test_a_share_outside_zero_to_one_is_refused(share):
    with pytest.raises(ValueError, match="share"):
        rules.due_soon_after(30, share)


def test_mistaken_calendars_are_refused():
    with pytest.raises(ValueError, match="end before they start"):
        WorkingCalendar(hours={0: ((dt.time(16, 0), dt.time(7, 30)),)})
    with pytest.raises(ValueError, match="overlap"):
        WorkingCalendar(hours={0: ((dt.time(8, 0), dt.time(12, 0)), (dt.time(11, 0), dt.time(14, 0)))})
    with pytest.raises(ValueError, match="never works"):
        WorkingCalendar(hours={0: (), 1: ()})
    with pytest.raises(ValueError, match="weekday"):
        WorkingCalendar(hours={7: ((dt.time(8, 0), dt.time(9, 0)),)})
    with pytest.raises(Exception, match="Mars/Olympus"):
        WorkingCalendar(tz_name="Mars/Olympus")


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        OFFICE.add(dt.datetime(2026, 11, 30, 8, 0), 10)
    with pytest.raises(ValueError, match="time zone"):
        OFFICE.working_minutes(dt.datetime(2026, 11, 30, 8, 0), wita(2026, 11, 30, 9, 0))


def test_a_calendar_with_no_working_day_ahead_is_an_error_not_a_hang():
    only_mondays = WorkingCalendar(
        hours={0: ((dt.time(8, 0), dt.time(9, 0)),)},
        holidays=frozenset(dt.date(2026, 11, 30) + dt.timedelta(weeks=n) for n in range(80)),
    )
    with pytest.raises(ValueError, match="no working time"):
        only_mondays.add(wita(2026, 11, 30, 8, 0), 10)


def test_equal_calendars_compare_equal():
    a = WorkingCalendar(hours={4: [(dt.time(7, 30), dt.time(13, 30))], 5: []}, holidays={dt.date(2026, 12, 25)})
    b = WorkingCalendar(hours={4: ((dt.time(7, 30), dt.time(13, 30)),)}, holidays=frozenset({dt.date(2026, 12, 25)}))
    assert a == b


def _day_by_day(calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """The definition: the overlap of [start, end] with each day's periods, one day at a time."""
    total, day = dt.timedelta(0), start.astimezone(calendar.tz).date()
    while day <= end.astimezone(calendar.tz).date():
        for open_at, close_at in calendar.intervals(day):
            # In UTC: Python subtracts two times of one zone on the wall clock.
            lo = max(open_at, start).astimezone(dt.UTC)
            hi = min(close_at, end).astimezone(dt.UTC)
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    return total


@given(any_calendar, instants, st.integers(min_value=0, max_value=900 * 24 * 60))
def test_long_spans_are_counted_as_day_by_day(calendar, start, minutes_later):
    # working_time counts the whole days between its ends by weekday (so a two-year-old open step
    # costs the inbox no more than a fresh one); it must agree with the day-by-day definition.
    end = start + dt.timedelta(minutes=minutes_later)
    assert calendar.working_time(start, end) == _day_by_day(calendar, start, end)


@settings(max_examples=30)
@given(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400 * 24 * 60))
def test_long_spans_in_a_zone_with_daylight_saving_time(day, minutes_later):
    # A zone whose offset changes: its days are counted one by one, so the shifted hour is exact.
    calendar = WorkingCalendar(hours={d: ((dt.time(1, 0), dt.time(23, 0)),) for d in range(7)}, tz_name="Europe/Berlin")
    start = dt.datetime(2026, 1, 1, 10, tzinfo=ZoneInfo("Europe/Berlin")) + dt.timedelta(days=day)
    end = start + dt.timedelta(minutes=minutes_later)
    assert calendar.working_time(start, end) == _day_by_day(calendar, start, end)


@pytest.mark.parametrize("days", [1, 30, 729, 3650])
def test_a_long_span_looks_at_its_first_and_last_day_only(days):
    """The work of a span does not grow with its length (a stalled item's two years cost the inbox
    what a day does): the days between are counted by weekday, holidays by bisection. Counted in
    days looked at, not seconds; the day-by-day loop this replaced took ~5 ms per call."""

    class Counting(WorkingCalendar):
        looked_at: list = []

        def intervals(self, day):
            self.looked_at.append(day)
            return super().intervals(day)

    calendar = Counting(holidays=NATIONAL)
    start = wita(2026, 1, 2, 9, 15)
    end = start + dt.timedelta(days=days)
    assert calendar.working_minutes(start, end) == OFFICE.working_minutes(start, end)
    assert calendar.looked_at == [start.date(), end.date()]


def test_property_tests_run_without_a_deadline():
    # conftest.py's profile: a stalled CI machine must not fail a property test on time.
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check
