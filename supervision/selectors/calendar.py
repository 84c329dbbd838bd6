"""Reads of the working-day calendar for its pages and the administrators' warning."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.calendar import DayKind
from supervision.models import CalendarChange, CalendarYear
from supervision.permissions import can_manage_calendar

# From this month on, administrators are warned when next year is not entered: the State
# Council's notice usually appears in October or November.
WARNING_FROM_MONTH = 10


def calendar_year_list():
    """All years, newest first, with their exception counts by kind (one query)."""
    return CalendarYear.objects.select_related("entered_by").annotate(
        holiday_count=Count("days", filter=Q(days__kind__in=[DayKind.HOLIDAY, DayKind.IN_LIEU])),
        workday_count=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
    ).order_by("-year")


def calendar_change_list(calendar_year):
    return CalendarChange.objects.filter(calendar_year=calendar_year).select_related("user")


def _complete_years(years) -> set:
    return set(CalendarYear.objects.filter(year__in=years, is_complete=True).values_list("year", flat=True))


def calendar_next_year_missing(today: datetime.date) -> int | None:
    """Next year, when `today` is on or after October 1st and next year is not completely
    entered; otherwise None."""
    if today.month < WARNING_FROM_MONTH:
        return None
    year = today.year + 1
    return None if year in _complete_years([year]) else year


def calendar_years_missing(today: datetime.date) -> list[int]:
    """The years an administrator must enter now: this year when it is not complete, and
    next year from October 1st (one query)."""
    years = [today.year] + ([today.year + 1] if today.month >= WARNING_FROM_MONTH else [])
    complete = _complete_years(years)
    return [y for y in years if y not in complete]


def calendar_warning(user, today: datetime.date | None = None) -> dict:
    """Context for templates/supervision/includes/calendar_warning.html: for a user who
    may manage the calendar, the years to enter and their message; empty otherwise (no
    query for other users)."""
    if not can_manage_calendar(user):
        return {"calendar_warning": None}
    missing = calendar_years_missing(today or timezone.localdate())
    if not missing:
        return {"calendar_warning": None}
    years = "、".join(str(y) for y in missing)
    return {"calendar_warning": {
        "years": missing,
        "message": _(
            "%(years)s 年的工作日日历尚未录入完整:办件期限暂按周一至周五估算。"
            "请依据国务院办公厅的放假通知录入。"
        ) % {"years": years},
    }}
