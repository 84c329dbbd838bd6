"""The working-day calendar and the clock arithmetic, as pure functions over a `WorkCalendar`.

Nothing here touches the database: `supervision.clock` loads a `WorkCalendar` from the
calendar tables (cached) and offers the same functions for callers that hold only dates.

Counting rules (Civil Code art. 201: the day an act happens is not counted; the period
starts the next day; Administrative Licensing Law art. 82: limits in working days exclude
statutory holidays; art. 45: hearings, inspection, testing, expert review and the like
are not counted):

- A date is a working day when the calendar has an adjusted working day (调休上班) for it,
  or it is Monday to Friday and is neither a statutory holiday nor a rest day in lieu.
- `add_working_days(start, n)`: `start` is day 0 (the day of receipt, never counted); the
  result is the n-th working day after it that lies in no suspension interval.
- `working_days_between(a, b)`: the working days in (a, b], suspended days left out; so
  `working_days_between(s, add_working_days(s, n)) == n`.
- Suspensions are closed intervals of dates (both ends suspended). An interval that is
  still running is passed with today as its end by the caller.
- Calendar-day limits (自然日) count every day after `start` outside suspensions; by
  Civil Code art. 203 a period whose last day is a rest day ends on the next working day
  (`extend_past_rest_day=True`, the default).

A year the calendar does not hold as complete raises `CalendarYearMissing`, unless the
calendar is an estimate (`estimate=True`), which counts such years as Monday to Friday.
"""

import datetime
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ONE_DAY = datetime.timedelta(days=1)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", gettext_lazy("法定节假日")
    IN_LIEU = "in_lieu", gettext_lazy("调休休息")
    WORKDAY = "workday", gettext_lazy("调休上班")


REST_KINDS = frozenset({DayKind.HOLIDAY, DayKind.IN_LIEU})


def is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= 5


class DayEntry(NamedTuple):
    """One exception to the week: a date, its DayKind and the holiday's name."""

    date: datetime.date
    kind: str
    name: str = ""


class CalendarYearMissing(LookupError):
    """A date falls in a year whose working-day calendar is not (completely) entered."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(year)

    @property
    def message(self) -> str:
        return _(
            "%(year)s 年的工作日日历尚未录入完整,无法按工作日计算期限;"
            "请系统管理员依据国务院办公厅的放假通知录入。"
        ) % {"year": self.year}

    def __str__(self):
        return self.message


class YearNotLoaded(Exception):
    """The calendar object was built without this year (the loader fetches it and retries)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(year)


class Suspension(NamedTuple):
    """A closed interval of suspended days (补正, 听证, 公告, 专家评审, 检验检测 …)."""

    start: datetime.date
    end: datetime.date


def normalise_suspensions(suspensions: Iterable) -> tuple[Suspension, ...]:
    """Sorted, merged closed intervals from (start, end) pairs or objects with .start/.end.

    Raises ValueError for an interval without an end or ending before it starts."""
    result = []
    for item in suspensions or ():
        start, end = (item.start, item.end) if hasattr(item, "start") else item
        if start is None or end is None:
            raise ValueError(_("中止期间须有起止日期;仍在中止中的,请以今天作为截止日期。"))
        if end < start:
            raise ValueError(_("中止期间的截止日期早于开始日期。"))
        result.append(Suspension(start, end))
    merged = []
    for s in sorted(result):
        if merged and s.start <= merged[-1].end + ONE_DAY:
            merged[-1] = Suspension(merged[-1].start, max(merged[-1].end, s.end))
        else:
            merged.append(s)
    return tuple(merged)


def _suspended(day: datetime.date, suspensions: tuple[Suspension, ...]) -> bool:
    return any(s.start <= day <= s.end for s in suspensions)


@dataclass(frozen=True)
class WorkCalendar:
    """The exceptions of a set of years, and which of those years are complete.

    `days` maps a date to its DayKind; dates not in it follow the week (Monday to Friday
    working). `complete_years` are the years that may be counted on. With `estimate`,
    other years are counted Monday to Friday (with whatever exceptions `days` holds for
    them) and `used_estimate_years` records which years that happened for. A loader
    that fetched only some years names them in `loaded_years`; a date outside them
    raises YearNotLoaded so that the loader can fetch more."""

    days: Mapping[datetime.date, str] = field(default_factory=dict)
    complete_years: frozenset = frozenset()
    estimate: bool = False
    loaded_years: frozenset | None = None
    used_estimate_years: set = field(default_factory=set, compare=False)

    def is_workday(self, day: datetime.date) -> bool:
        if self.loaded_years is not None and day.year not in self.loaded_years:
            raise YearNotLoaded(day.year)
        if day.year not in self.complete_years:
            if not self.estimate:
                raise CalendarYearMissing(day.year)
            self.used_estimate_years.add(day.year)
        kind = self.days.get(day)
        if kind == DayKind.WORKDAY:
            return True
        if kind in REST_KINDS:
            return False
        return not is_weekend(day)

    @staticmethod
    def _nth_counted_day(start, n, suspensions, counts) -> datetime.date:
        """The n-th day after `start` outside the suspensions for which counts(day)."""
        if n < 0:
            raise ValueError(_("期限天数不能为负数。"))
        suspended = normalise_suspensions(suspensions)
        day, counted = start, 0
        while counted < n:
            day += ONE_DAY
            if not _suspended(day, suspended) and counts(day):
                counted += 1
        return day

    def add_working_days(self, start: datetime.date, n: int, *, suspensions=()) -> datetime.date:
        """The n-th working day after `start` outside the suspensions (n=0: `start`)."""
        return self._nth_counted_day(start, n, suspensions, self.is_workday)

    def working_days_between(self, a: datetime.date, b: datetime.date, *, suspensions=()) -> int:
        """Working days in (a, b] outside the suspensions; 0 when b <= a."""
        suspended = normalise_suspensions(suspensions)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            if not _suspended(day, suspended) and self.is_workday(day):
                count += 1
        return count

    def next_workday(self, day: datetime.date) -> datetime.date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    def add_calendar_days(
        self, start: datetime.date, n: int, *, suspensions=(), extend_past_rest_day=True
    ) -> datetime.date:
        """The n-th day after `start` outside the suspensions; moved on to the next
        working day when it is a rest day and `extend_past_rest_day` (Civil Code art. 203)."""
        day = self._nth_counted_day(start, n, suspensions, lambda _day: True)
        if extend_past_rest_day and n > 0:
            day = self.next_workday(day)
        return day

    def calendar_days_between(self, a: datetime.date, b: datetime.date, *, suspensions=()) -> int:
        """Days in (a, b] outside the suspensions; 0 when b <= a."""
        if b <= a:
            return 0
        suspended = normalise_suspensions(suspensions)
        total = (b - a).days
        for s in suspended:
            lo, hi = max(s.start, a + ONE_DAY), min(s.end, b)
            if lo <= hi:
                total -= (hi - lo).days + 1
        return total


def years_spanned(start: datetime.date, n: int, *, calendar_days=False) -> range:
    """The years a limit of n days from `start` is likely to reach, for loading them in
    one query: n working days take at most about 1.6 n calendar days (weekends plus the
    longest holiday runs), with a month of margin for extension past a rest day."""
    span = n if calendar_days else (n * 8) // 5 + 21
    end = start + datetime.timedelta(days=span + 31)
    return range(start.year, end.year + 1)
