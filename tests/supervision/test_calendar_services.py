"""Writes to the calendar: versions, the change record, seeding, and who may write."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from supervision.calendar import DayEntry, DayKind
from supervision.models import CalendarChange, CalendarDay, CalendarYear
from supervision.services import (
    calendar_day_clear, calendar_day_set, calendar_seed_from_library, calendar_year_create,
    calendar_year_save,
)
from tests.supervision.factories import CalendarDayFactory, CalendarYearFactory

D = datetime.date
pytestmark = pytest.mark.django_db


class TestSeeding:
    def test_2026_as_the_library_has_it(self):
        calendar_seed_from_library(years=[2026])
        days = {d.date: (d.kind, d.name) for d in CalendarDay.objects.filter(calendar_year__year=2026)}
        # Weekday holidays, weekday rest days in lieu and worked weekends only.
        assert days[D(2026, 10, 1)] == (DayKind.HOLIDAY, "国庆节")
        assert days[D(2026, 10, 6)] == (DayKind.IN_LIEU, "国庆节")
        assert days[D(2026, 9, 20)] == (DayKind.WORKDAY, "国庆节")
        assert days[D(2026, 10, 10)] == (DayKind.WORKDAY, "国庆节")
        assert days[D(2026, 2, 14)] == (DayKind.WORKDAY, "春节")
        assert D(2026, 10, 3) not in days  # a Saturday within the break is a rest day anyway
        # Counted on the 2026 notice: weekday holidays 01-01; 02-16..19; 04-06; 05-01, 05-04;
        # 06-19; 09-25; 10-01, 10-02, 10-05 (13); rest days in lieu 01-02, 02-20, 02-23, 05-05,
        # 10-06, 10-07 (6); worked weekends 01-04, 02-14, 02-28, 05-09, 09-20, 10-10 (6).
        kinds = [k for k, _ in days.values()]
        assert (kinds.count(DayKind.HOLIDAY), kinds.count(DayKind.IN_LIEU), kinds.count(DayKind.WORKDAY)) == (13, 6, 6)
        year = CalendarYear.objects.get(year=2026)
        assert (year.source, year.is_complete, year.version) == (CalendarYear.Source.LIBRARY, True, 1)
        assert year.changes.get().action == CalendarChange.Action.SEEDED

    def test_idempotent(self):
        first = calendar_seed_from_library(years=[2025, 2026])
        second = calendar_seed_from_library(years=[2025, 2026])
        assert first["created"] == [2025, 2026]
        assert second == {"created": [], "synced": [], "unchanged": [2025, 2026], "kept": []}
        assert CalendarChange.objects.count() == 2

    def test_every_year_the_library_knows(self):
        call_command("seed_calendar")
        years = set(CalendarYear.objects.values_list("year", flat=True))
        assert set(range(2004, 2027)) <= years
        assert 2027 not in years

    def test_hand_edited_year_is_kept(self, calendar_admin):
        calendar_seed_from_library(years=[2026])
        calendar_day_set(user=calendar_admin, date=D(2026, 12, 31), kind=DayKind.HOLIDAY, name="测试")
        result = calendar_seed_from_library(years=[2026])
        assert result["kept"] == [2026]
        assert CalendarDay.objects.filter(date=D(2026, 12, 31)).exists()

    def test_library_year_drifted_is_synced(self):
        calendar_seed_from_library(years=[2026])
        CalendarDay.objects.filter(date=D(2026, 10, 1)).delete()  # as an older release might lack it
        result = calendar_seed_from_library(years=[2026])
        assert result["synced"] == [2026]
        year = CalendarYear.objects.get(year=2026)
        assert year.version == 2
        assert year.changes.first().details["added"] == [["2026-10-01", "holiday", "国庆节"]]


class TestHandEntry:
    def test_create_then_save_bumps_version_and_records_who_and_what(self, calendar_admin):
        calendar_year_create(user=calendar_admin, year=2027)
        change = calendar_year_save(
            user=calendar_admin, year=2027, notice_number="国办发明电〔2026〕9号", notice_date=D(2026, 11, 10),
            is_complete=True, entries=[DayEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦"), DayEntry(D(2027, 2, 14), DayKind.WORKDAY, "")],
        )
        year = CalendarYear.objects.get(year=2027)
        assert (year.version, year.is_complete, year.source) == (2, True, CalendarYear.Source.MANUAL)
        assert change.user == calendar_admin and change.version == 2
        assert change.summary == "2027 年度:新增 2 天、删除 0 天、修改 0 天;修改通知文号、通知日期、完整性"
        assert [c.version for c in year.changes.all()] == [2, 1]

    def test_saving_the_same_again_changes_nothing(self, calendar_admin):
        calendar_year_create(user=calendar_admin, year=2027)
        args = dict(user=calendar_admin, year=2027, notice_number="", notice_date=None, is_complete=False,
                    entries=[DayEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦")])
        assert calendar_year_save(**args) is not None
        assert calendar_year_save(**args) is None
        assert CalendarYear.objects.get(year=2027).version == 2

    def test_complete_needs_holidays_and_the_notice_number(self, calendar_admin):
        calendar_year_create(user=calendar_admin, year=2027)
        with pytest.raises(ValidationError) as caught:
            calendar_year_save(user=calendar_admin, year=2027, notice_number="", notice_date=None,
                               is_complete=True, entries=[])
        assert "尚未录入任何法定节假日" in str(caught.value)
        with pytest.raises(ValidationError) as caught:
            calendar_year_save(user=calendar_admin, year=2027, notice_number=" ", notice_date=None, is_complete=True,
                               entries=[DayEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦")])
        assert "文号" in str(caught.value)
        year = CalendarYear.objects.get(year=2027)
        assert (year.version, year.is_complete, year.days.count()) == (1, False, 0)  # nothing half-saved

    def test_wrong_entries_are_errors_of_the_days_field(self, calendar_admin):
        calendar_year_create(user=calendar_admin, year=2027)
        with pytest.raises(ValidationError) as caught:
            calendar_year_save(user=calendar_admin, year=2027, notice_number="", notice_date=None, is_complete=False,
                               entries=[DayEntry(D(2028, 1, 3), DayKind.HOLIDAY, "元旦")])
        assert caught.value.message_dict == {"days": ["2028-01-03 不在 2027 年度内。"]}

    def test_wrong_kind_of_day_refused(self, calendar_admin):
        CalendarYearFactory(year=2027)
        with pytest.raises(ValidationError) as caught:
            calendar_day_set(user=calendar_admin, date=D(2027, 1, 2), kind=DayKind.HOLIDAY, name="元旦")
        assert "周末" in str(caught.value)
        with pytest.raises(ValidationError):
            calendar_day_set(user=calendar_admin, date=D(2028, 1, 3), kind=DayKind.HOLIDAY, name="元旦")

    def test_day_set_and_clear_each_leave_a_change(self, calendar_admin):
        CalendarDayFactory(date=D(2027, 1, 1))
        calendar_day_set(user=calendar_admin, date=D(2027, 2, 14), kind=DayKind.WORKDAY)
        calendar_day_clear(user=calendar_admin, date=D(2027, 1, 1))
        assert calendar_day_clear(user=calendar_admin, date=D(2027, 1, 1)) is None
        year = CalendarYear.objects.get(year=2027)
        assert year.version == 3
        assert [c.action for c in year.changes.all()] == [CalendarChange.Action.DAY_CLEARED, CalendarChange.Action.DAY_SET]
        assert list(year.days.values_list("date", flat=True)) == [D(2027, 2, 14)]

    def test_existing_year_cannot_be_created_twice(self, calendar_admin):
        calendar_year_create(user=calendar_admin, year=2027)
        with pytest.raises(ValidationError):
            calendar_year_create(user=calendar_admin, year=2027)

    @pytest.mark.parametrize("who", ["clerk", "supervisor", "office_reviewer"])
    def test_only_administrators_write(self, org, who):
        user = getattr(org, who)
        with pytest.raises(PermissionDenied) as caught:
            calendar_year_create(user=user, year=2027)
        assert "系统管理员" in str(caught.value)
        assert not CalendarYear.objects.exists()
