"""Properties of the clock over generated dates, limits, calendars and suspensions."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from supervision.calendar import DayEntry, DayKind, WorkCalendar, is_weekend
from supervision.calendar_entry import format_calendar_lines, parse_calendar_lines
from supervision.library import library_entries

REAL = WorkCalendar(
    days={e.date: e.kind for e in library_entries(2025) + library_entries(2026)},
    complete_years=frozenset({2025, 2026}),
)
starts = st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2026, 6, 30))
limits = st.integers(min_value=0, max_value=80)


@st.composite
def suspension_lists(draw):
    out = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2026, 6, 30)))
        out.append((start, start + datetime.timedelta(days=draw(st.integers(0, 20)))))
    return out


@settings(max_examples=300, deadline=None)
@given(start=starts, n=limits, suspensions=suspension_lists())
def test_monotone_in_n_and_lands_on_a_working_day(start, n, suspensions):
    due = REAL.add_working_days(start, n, suspensions=suspensions)
    later = REAL.add_working_days(start, n + 1, suspensions=suspensions)
    assert later > due
    assert REAL.is_workday(later)
    assert not any(a <= later <= b for a, b in suspensions)
    if n:
        assert due > start and REAL.is_workday(due)


@settings(max_examples=300, deadline=None)
@given(start=starts, n=limits, suspensions=suspension_lists())
def test_elapsed_count_is_the_inverse(start, n, suspensions):
    due = REAL.add_working_days(start, n, suspensions=suspensions)
    assert REAL.working_days_between(start, due, suspensions=suspensions) == n


@settings(max_examples=200, deadline=None)
@given(start=starts, n=limits, suspensions=suspension_lists())
def test_calendar_days_inverse_without_extension(start, n, suspensions):
    due = REAL.add_calendar_days(start, n, suspensions=suspensions, extend_past_rest_day=False)
    assert REAL.calendar_days_between(start, due, suspensions=suspensions) == n
    extended = REAL.add_calendar_days(start, n, suspensions=suspensions)
    assert extended >= due and (n == 0 or REAL.is_workday(extended))


year_days = st.dates(min_value=datetime.date(2027, 1, 1), max_value=datetime.date(2027, 12, 31))


@st.composite
def exception_sets(draw):
    """Exceptions of 2027 as an administrator could enter them: rest days on weekdays
    (one of two names), working days on weekends."""
    entries = {}
    for day in draw(st.lists(year_days, max_size=25, unique=True)):
        if is_weekend(day):
            entries[day] = DayEntry(day, DayKind.WORKDAY, draw(st.sampled_from(["", "春节"])))
        else:
            kind = draw(st.sampled_from([DayKind.HOLIDAY, DayKind.IN_LIEU]))
            entries[day] = DayEntry(day, kind, draw(st.sampled_from(["春节", "国庆节"])))
    return sorted(entries.values())


@settings(max_examples=200, deadline=None)
@given(entries=exception_sets())
def test_lines_round_trip(entries):
    parsed, errors = parse_calendar_lines(format_calendar_lines(entries), 2027)
    assert errors == []
    assert parsed == entries


@given(text=st.text(max_size=200))
def test_any_text_gives_entries_or_line_errors(text):
    entries, errors = parse_calendar_lines(text, 2027)
    assert all(e.date.year == 2027 for e in entries)
    assert all(str(e).startswith("第 ") for e in errors)
