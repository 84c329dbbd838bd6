"""factory_boy factories for the working-day calendar."""

import datetime

import factory
from factory.django import DjangoModelFactory

from supervision.calendar import DayKind
from supervision.models import CalendarDay, CalendarYear


class CalendarYearFactory(DjangoModelFactory):
    """A hand-entered year, not yet complete (as an administrator starts one)."""

    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    year = 2027
    source = CalendarYear.Source.MANUAL
    is_complete = False


class CalendarDayFactory(DjangoModelFactory):
    class Meta:
        model = CalendarDay

    calendar_year = factory.SubFactory(CalendarYearFactory, year=factory.SelfAttribute("..date.year"))
    date = datetime.date(2027, 1, 1)
    kind = DayKind.HOLIDAY
    name = "元旦"
