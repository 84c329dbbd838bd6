"""The clock on the real mainland calendar (2026 as chinesecalendar 1.11 has it), and on
2027, which the library does not know, before and after an administrator enters it.

Every expected date below was counted by hand on a paper calendar of 2026/2027:
2026-09-20 (Sun) and 2026-10-10 (Sat) are adjusted working days, 2026-09-25 (Fri) is the
Mid-autumn holiday, 2026-10-01..07 National Day (weekdays 1, 2, 5 holidays; 6, 7 in lieu);
Spring Festival 2026 runs 02-15..02-23 with 02-14 (Sat) and 02-28 (Sat) worked.
"""

import datetime

import pytest

from supervision import clock
from supervision.calendar import CalendarYearMissing, DayKind
from supervision.clock import LimitUnit
from supervision.models import CalendarYear
from supervision.services import calendar_year_create, calendar_year_save
from supervision.calendar_entry import parse_calendar_lines

D = datetime.date
pytestmark = pytest.mark.django_db

# A plausible 2027 arrangement, written here for the test (not taken from any code):
# New Year's Day Fri 01-01; Spring Festival 02-06..02-12 with Sun 02-14 and Sat 02-20 worked;
# National Day 10-01..10-07 with Sat 09-25 and Sat 10-09 worked.
LINES_2027 = """\
2027-01-01 元旦 休
2027-02-06..2027-02-12 春节 休
2027-02-14 班
2027-02-20 班
2027-10-01..2027-10-05 国庆节 休
2027-10-06..2027-10-07 国庆节 调休
2027-09-25 班
2027-10-09 班
"""


def _enter_2027(user, *, complete=True):
    calendar_year_create(user=user, year=2027)
    entries, errors = parse_calendar_lines(LINES_2027, 2027)
    assert errors == []
    calendar_year_save(
        user=user, year=2027, notice_number="国办发明电〔2026〕9号", notice_date=D(2026, 11, 10),
        is_complete=complete, entries=entries,
    )


class TestRealCalendar2026:
    def test_national_day_ten_working_days(self, calendar_2026):
        # Received Thu 09-24: 09-25 holiday, 28/29/30 = 1..3, 10-08/09 = 4, 5,
        # Sat 10-10 worked = 6, 10-12..15 = 7..10.
        assert clock.add_working_days(D(2026, 9, 24), 10) == D(2026, 10, 15)

    def test_adjusted_working_sunday_counts(self, calendar_2026):
        # Received Thu 09-17: Fri 18 = 1, Sun 20 worked = 2, 21..23 = 3..5.
        assert clock.add_working_days(D(2026, 9, 17), 5) == D(2026, 9, 23)

    def test_five_days_over_the_national_day_break(self, calendar_2026):
        # Received Tue 09-29: Wed 30 = 1, Thu 10-08 = 2, Fri 09 = 3, Sat 10 worked = 4, Mon 12 = 5.
        assert clock.add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 12)

    def test_spring_festival(self, calendar_2026):
        # Received Thu 02-12: Fri 13 = 1, Sat 14 worked = 2, 15..23 off, 24..26 = 3..5,
        # 27 = 6, Sat 28 worked = 7, 03-02..04 = 8..10.
        assert clock.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
        assert clock.add_working_days(D(2026, 2, 12), 10) == D(2026, 3, 4)

    def test_is_workday_on_the_exceptions(self, calendar_2026):
        assert clock.is_workday(D(2026, 9, 20)) is True  # Sunday, worked
        assert clock.is_workday(D(2026, 10, 10)) is True  # Saturday, worked
        assert clock.is_workday(D(2026, 10, 6)) is False  # Tuesday, rest day in lieu
        assert clock.is_workday(D(2026, 10, 1)) is False  # Thursday, National Day
        assert clock.is_workday(D(2026, 10, 3)) is False  # Saturday within the break
        assert clock.is_workday(D(2026, 10, 8)) is True  # ordinary Thursday

    def test_zero_days_is_the_day_of_receipt(self, calendar_2026):
        assert clock.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)

    def test_negative_limit_refused(self, calendar_2026):
        with pytest.raises(ValueError):
            clock.add_working_days(D(2026, 3, 2), -1)

    def test_elapsed_working_days_across_national_day(self, calendar_2026):
        # (09-24, 10-15]: 28, 29, 30, 10-08, 09, 10, 12, 13, 14, 15.
        assert clock.working_days_between(D(2026, 9, 24), D(2026, 10, 15)) == 10
        assert clock.working_days_between(D(2026, 10, 15), D(2026, 9, 24)) == 0


class TestSuspensions:
    def test_suspended_days_do_not_count(self, calendar_2026):
        # Received Mon 03-02, 补正 03-04..03-10: Tue 03 = 1, 11..13 = 2..4, Mon 16 = 5.
        suspension = [(D(2026, 3, 4), D(2026, 3, 10))]
        assert clock.add_working_days(D(2026, 3, 2), 5, suspensions=suspension) == D(2026, 3, 16)
        assert clock.add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 9)
        assert clock.working_days_between(D(2026, 3, 2), D(2026, 3, 16), suspensions=suspension) == 5

    def test_overlapping_suspensions_count_once(self, calendar_2026):
        suspensions = [(D(2026, 3, 4), D(2026, 3, 6)), (D(2026, 3, 5), D(2026, 3, 10))]
        assert clock.add_working_days(D(2026, 3, 2), 5, suspensions=suspensions) == D(2026, 3, 16)
        # Calendar days (03-02, 03-16]: 14, less 03-04..03-10 (7) = 7.
        assert clock.calendar_days_between(D(2026, 3, 2), D(2026, 3, 16), suspensions=suspensions) == 7

    def test_suspension_over_national_day(self, calendar_2026):
        # Received Fri 09-18, 专家评审 09-21..09-30: Sun 20 worked = 1, then 10-08 = 2, 09 = 3,
        # Sat 10 = 4, Mon 12 = 5.
        suspension = [(D(2026, 9, 21), D(2026, 9, 30))]
        assert clock.add_working_days(D(2026, 9, 18), 5, suspensions=suspension) == D(2026, 10, 12)

    def test_open_or_reversed_interval_refused(self, calendar_2026):
        with pytest.raises(ValueError):
            clock.add_working_days(D(2026, 3, 2), 5, suspensions=[(D(2026, 3, 4), None)])
        with pytest.raises(ValueError):
            clock.add_working_days(D(2026, 3, 2), 5, suspensions=[(D(2026, 3, 4), D(2026, 3, 3))])


class TestCalendarDays:
    def test_last_day_on_a_holiday_moves_to_the_next_working_day(self, calendar_2026):
        # Mon 09-07 + 30 days = Wed 10-07 (rest day in lieu) -> Thu 10-08 (Civil Code art. 203).
        assert clock.add_calendar_days(D(2026, 9, 7), 30) == D(2026, 10, 8)
        assert clock.add_calendar_days(D(2026, 9, 7), 30, extend_past_rest_day=False) == D(2026, 10, 7)

    def test_suspension_in_calendar_days(self, calendar_2026):
        # Mon 03-02, 10 days, 03-04..03-10 suspended: 03 = 1, 11..19 = 2..10; Thu 03-19 is worked.
        suspension = [(D(2026, 3, 4), D(2026, 3, 10))]
        assert clock.add_calendar_days(D(2026, 3, 2), 10, suspensions=suspension) == D(2026, 3, 19)

    def test_due_date_in_calendar_days(self, calendar_2026):
        assert clock.due_date(D(2026, 9, 7), 30, unit=LimitUnit.CALENDAR_DAYS) == (D(2026, 10, 8), False, ())


class TestUnknownYear:
    def test_strict_clock_raises_a_readable_error(self, calendar_2026):
        with pytest.raises(CalendarYearMissing) as caught:
            clock.add_working_days(D(2026, 12, 15), 20)
        assert caught.value.year == 2027
        assert "2027 年" in str(caught.value) and "国务院办公厅" in str(caught.value)
        with pytest.raises(CalendarYearMissing):
            clock.is_workday(D(2027, 3, 1))

    def test_estimate_counts_weekdays_and_says_so(self, calendar_2026):
        # Received Tue 2026-12-15: 12-16..31 give 12 working days; 2027 Mon–Fri:
        # Fri 01-01 = 13, 04..08 = 14..18, 11 = 19, Tue 12 = 20.
        due = clock.due_date(D(2026, 12, 15), 20)
        assert due.date == D(2027, 1, 12)
        assert due.is_estimate is True and due.missing_years == (2027,)
        assert due.notice == "2027 年日历尚未录入,到期日暂按周一至周五估算。"

    def test_due_date_within_a_known_year_is_not_an_estimate(self, calendar_2026):
        assert clock.due_date(D(2026, 9, 24), 10) == (D(2026, 10, 15), False, ())

    def test_after_the_administrator_enters_2027(self, calendar_2026, calendar_admin):
        _enter_2027(calendar_admin)
        # 2027-01-01 is now New Year's Day: 04..08 = 13..17, 11..13 = 18..20.
        assert clock.add_working_days(D(2026, 12, 15), 20) == D(2027, 1, 13)
        assert clock.due_date(D(2026, 12, 15), 20) == (D(2027, 1, 13), False, ())
        # Spring Festival 2027: received Fri 02-05; Sun 02-14 worked = 1, 15..19 = 2..6.
        assert clock.add_working_days(D(2027, 2, 5), 6) == D(2027, 2, 19)

    def test_incomplete_year_is_still_an_estimate_but_uses_what_is_entered(self, calendar_2026, calendar_admin):
        _enter_2027(calendar_admin, complete=False)
        assert CalendarYear.objects.get(year=2027).is_complete is False
        with pytest.raises(CalendarYearMissing):
            clock.add_working_days(D(2026, 12, 15), 20)
        assert clock.due_date(D(2026, 12, 15), 20) == (D(2027, 1, 13), True, (2027,))

    def test_a_year_before_the_library(self, calendar_2026):
        with pytest.raises(CalendarYearMissing) as caught:
            clock.is_workday(D(1999, 5, 4))
        assert caught.value.year == 1999


class TestQueries:
    def test_one_query_cold_none_warm(self, calendar_2026, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert clock.add_working_days(D(2026, 9, 24), 10) == D(2026, 10, 15)
        with django_assert_num_queries(0):
            assert clock.add_working_days(D(2026, 9, 17), 5) == D(2026, 9, 23)
            assert clock.working_days_between(D(2026, 9, 24), D(2026, 10, 15)) == 10

    def test_a_change_reaches_the_next_call(self, calendar_2026, calendar_admin, django_assert_num_queries):
        assert clock.is_workday(D(2026, 10, 9)) is True
        from supervision.services import calendar_day_set

        calendar_day_set(user=calendar_admin, date=D(2026, 10, 9), kind=DayKind.IN_LIEU, name="国庆节")
        with django_assert_num_queries(1):
            assert clock.is_workday(D(2026, 10, 9)) is False

    def test_long_limit_loads_further_years(self, calendar_2026, calendar_admin):
        # 2025 + 2026 known; counting 300 working days from 2025-01-02 runs into 2026.
        due = clock.add_working_days(D(2025, 1, 2), 300)
        assert due.year == 2026 and clock.is_workday(due)
