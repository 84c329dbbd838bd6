"""From October 1st administrators are warned when next year's calendar is not entered."""

import datetime

import pytest
from django.template.loader import render_to_string

from supervision.models import CalendarYear
from supervision.selectors import calendar_next_year_missing, calendar_warning, calendar_years_missing
from tests.supervision.factories import CalendarDayFactory, CalendarYearFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def test_not_before_october():
    CalendarYearFactory(year=2026, is_complete=True)
    assert calendar_next_year_missing(D(2026, 9, 30)) is None
    assert calendar_next_year_missing(D(2026, 10, 1)) == 2027
    assert calendar_next_year_missing(D(2026, 12, 31)) == 2027


def test_incomplete_year_still_warns_complete_year_does_not():
    CalendarYearFactory(year=2027, is_complete=False)
    assert calendar_next_year_missing(D(2026, 11, 2)) == 2027
    CalendarYear.objects.filter(year=2027).update(is_complete=True)
    assert calendar_next_year_missing(D(2026, 11, 2)) is None


def test_this_year_missing_warns_all_year():
    assert calendar_years_missing(D(2027, 3, 1)) == [2027]
    assert calendar_years_missing(D(2027, 10, 1)) == [2027, 2028]


def test_context_for_administrators_only(org, calendar_admin, django_assert_num_queries):
    CalendarYearFactory(year=2026, is_complete=True)
    org.clerk.role_set()  # roles load once per user; the calendar is not read for a clerk
    with django_assert_num_queries(0):
        assert calendar_warning(org.clerk, D(2026, 10, 8)) == {"calendar_warning": None}
    context = calendar_warning(calendar_admin, D(2026, 10, 8))
    assert context["calendar_warning"]["years"] == [2027]
    html = render_to_string("supervision/includes/calendar_warning.html", context)
    assert 'role="alert"' in html
    assert "2027 年的工作日日历尚未录入完整" in html
    assert 'href="/supervision/calendar/#year-2027"' in html
    assert calendar_warning(calendar_admin, D(2026, 9, 30)) == {"calendar_warning": None}
    assert render_to_string("supervision/includes/calendar_warning.html", {"calendar_warning": None}).strip() == ""


def test_warning_on_the_calendar_page(client, calendar_admin):
    CalendarDayFactory(date=D(2027, 1, 1))
    client.force_login(calendar_admin)
    page = client.get("/supervision/calendar/").content.decode()
    assert "年的工作日日历尚未录入完整" in page
