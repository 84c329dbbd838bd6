"""The clock on the database calendar: the functions of supervision.calendar for callers
that hold only dates, with the needed years loaded in one query and cached.

Cache: each process keeps the years it loaded, stamped with a calendar generation token
kept in Django's cache (Redis when configured, shared by all processes). Every calendar
change replaces the token after commit (`calendar_cache_invalidate`), so the next call in
any process reloads. A warm call costs one cache read and no query; a cold call one query.
Callers that count many limits at once (a scan of open cases) take one `calendar_for()`
and call its methods, which costs nothing further; work that derives many cases (an
intake batch, a scan chunk) runs inside `calendar_pinned()`, which reads the token once
for the whole block instead of once per count (a cache round trip each: six per case).
"""

import datetime
import threading
import uuid
from contextlib import contextmanager
from typing import NamedTuple

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.calendar import (
    CalendarYearMissing, WorkCalendar, YearNotLoaded, years_spanned,
)

GENERATION_KEY = "supervision:calendar:generation"
_local = threading.local()


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", gettext_lazy("工作日")
    CALENDAR_DAYS = "calendar_days", gettext_lazy("自然日")


def _generation() -> str:
    pinned = getattr(_local, "pinned", None)
    if pinned is not None:
        return pinned
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


@contextmanager
def calendar_pinned():
    """Read the calendar's generation token once for the block (re-entrant): every count
    inside uses the calendar as it was at its start. For work on many cases in one
    transaction (an intake batch, a scan chunk); a calendar change committed meanwhile
    reaches the next block, as it reaches the next request."""
    if getattr(_local, "pinned", None) is not None:
        yield
        return
    token = _generation()
    _local.pinned = token
    try:
        yield
    finally:
        _local.pinned = None


def calendar_cache_invalidate() -> None:
    """Make every process reload the calendar on its next call."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    _local.__dict__.clear()


def _memo(token) -> dict:
    if getattr(_local, "token", None) != token:
        _local.token, _local.years, _local.counts = token, {}, {}
    return _local.years


# Counts memoised per calendar generation: cases received on the same day under the same
# power count the same limits over the same days (an intake batch or a scan chunk derives
# hundreds of them); a count is a pure function of its arguments and the calendar.
COUNTS_MEMO_SIZE = 50_000


def _counted(key, compute):
    token = _generation()
    _memo(token)
    counts = _local.counts
    if key not in counts:
        if len(counts) >= COUNTS_MEMO_SIZE:
            counts.clear()
        counts[key] = compute()
    return counts[key]


def _load(years) -> dict:
    """{year: (is_complete or None when absent, {date: kind})} for `years`, one query."""
    from supervision.models import CalendarYear

    loaded = {year: (None, {}) for year in years}
    rows = CalendarYear.objects.filter(year__in=list(years)).values_list(
        "year", "is_complete", "days__date", "days__kind"
    )
    for year, complete, day, kind in rows:
        days = loaded[year][1]
        if day is not None:
            days[day] = kind
        loaded[year] = (complete, days)
    return loaded


def calendar_for(years, *, estimate=False) -> WorkCalendar:
    """A WorkCalendar holding `years` (from the cache, or one query for those missing)."""
    memo = _memo(_generation())
    wanted = set(years)
    missing = wanted - memo.keys()
    if missing:
        memo.update(_load(missing))
    days, complete = {}, set()
    for year in wanted:
        is_complete, year_days = memo[year]
        days.update(year_days)
        if is_complete:
            complete.add(year)
    return WorkCalendar(
        days=days, complete_years=frozenset(complete), estimate=estimate, loaded_years=frozenset(wanted)
    )


def _count(years, compute, *, estimate=False):
    """Run compute(calendar) on a calendar of `years`, widening it when the count runs
    into a year not loaded yet. Returns (calendar, result)."""
    years = set(years)
    while True:
        calendar = calendar_for(years, estimate=estimate)
        try:
            return calendar, compute(calendar)
        except YearNotLoaded as exc:
            years |= set(range(min(years | {exc.year}), max(years | {exc.year}) + 2))


def is_workday(day: datetime.date) -> bool:
    """Raises CalendarYearMissing when day's year is not completely entered."""
    return _count([day.year], lambda c: c.is_workday(day))[1]


def add_working_days(start: datetime.date, n: int, *, suspensions=()) -> datetime.date:
    """The due date of a limit of n working days counted from the day after `start`: the
    n-th working day after it outside the suspensions. Raises CalendarYearMissing when
    the count reaches a year not completely entered; ValueError for n < 0 or a bad interval."""
    return _count(years_spanned(start, n), lambda c: c.add_working_days(start, n, suspensions=suspensions))[1]


def working_days_between(a: datetime.date, b: datetime.date, *, suspensions=()) -> int:
    """Working days elapsed in (a, b] outside the suspensions. Raises CalendarYearMissing."""
    years = range(a.year, max(a.year, b.year) + 1)
    return _count(years, lambda c: c.working_days_between(a, b, suspensions=suspensions))[1]


def add_calendar_days(start, n, *, suspensions=(), extend_past_rest_day=True) -> datetime.date:
    """The due date of a limit of n calendar days (自然日) from the day after `start`,
    suspended days not counted, moved past a closing rest day (Civil Code art. 203).
    Raises CalendarYearMissing only when it has to look at an unknown year's rest days."""
    return _count(
        years_spanned(start, n, calendar_days=True),
        lambda c: c.add_calendar_days(
            start, n, suspensions=suspensions, extend_past_rest_day=extend_past_rest_day
        ),
    )[1]


def calendar_days_between(a, b, *, suspensions=()) -> int:
    """Calendar days elapsed in (a, b] outside the suspensions (needs no calendar)."""
    return WorkCalendar().calendar_days_between(a, b, suspensions=suspensions)


class DueDate(NamedTuple):
    """A due date, and whether it is an estimate (some year counted Monday to Friday
    because its calendar is not completely entered), with those years."""

    date: datetime.date
    is_estimate: bool
    missing_years: tuple = ()

    @property
    def notice(self) -> str:
        if not self.is_estimate:
            return ""
        years = "、".join(str(y) for y in self.missing_years)
        return _("%(years)s 年日历尚未录入,到期日暂按周一至周五估算。") % {"years": years}


def due_date(start, n, *, unit=LimitUnit.WORKING_DAYS, suspensions=()) -> DueDate:
    """The due date of a limit of n days in `unit`; never raises CalendarYearMissing:
    where a year is not completely entered, its weekdays count as working days (with any
    exceptions already entered) and the result says it is an estimate."""

    def compute(calendar):
        if unit == LimitUnit.CALENDAR_DAYS:
            return calendar.add_calendar_days(start, n, suspensions=suspensions)
        return calendar.add_working_days(start, n, suspensions=suspensions)

    def count():
        spanned = years_spanned(start, n, calendar_days=unit == LimitUnit.CALENDAR_DAYS)
        calendar, result = _count(spanned, compute, estimate=True)
        missing = tuple(sorted(calendar.used_estimate_years))
        return DueDate(result, bool(missing), missing)

    return _counted(("due", start, n, unit, tuple(tuple(s) for s in suspensions)), count)


def elapsed_working_days(a, b, *, suspensions=()) -> int:
    """Working days in (a, b] outside the suspensions, years missing from the calendar
    counted Monday to Friday (as due_date counts them); memoised like due_date."""
    def count():
        years = range(min(a.year, b.year), max(a.year, b.year) + 1)
        return _count(years, lambda c: c.working_days_between(a, b, suspensions=suspensions), estimate=True)[1]

    return _counted(("elapsed", a, b, tuple(tuple(s) for s in suspensions)), count)


__all__ = [
    "CalendarYearMissing", "DueDate", "LimitUnit", "add_calendar_days", "add_working_days",
    "calendar_cache_invalidate", "calendar_days_between", "calendar_for", "calendar_pinned", "due_date",
    "elapsed_working_days",
    "is_workday", "working_days_between",
]
