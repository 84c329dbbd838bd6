"""The clocks of a case on the real 2026 calendar; every date below was counted by hand."""

import datetime

import pytest

from supervision.models import Case
from supervision.services.cases import flowchart_content_of
from supervision.timeline import case_timeline
from tests.supervision.factories import case_system, confirmed_power, push

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def system(org, calendar_2026):
    return case_system(org.dept)


def timeline(today):
    case = Case.objects.get(number="C1")
    return case, case_timeline(case, list(case.events.all()), flowchart_data=flowchart_content_of(case), today=today)


def received(power, when):
    return ("received", when, {"power": power.code})


def test_plain_limits_in_november(org, system):
    power = confirmed_power(org.dept, statutory=20, promised=10)
    push(system, [received(power, "2026-11-02 09:00"), ("accepted", "2026-11-02 10:00")], today=D(2026, 11, 3))
    case, line = timeline(D(2026, 11, 3))
    # Mon 11-02 is day 0; ten working days: 11-03 … 11-06 (4), 11-09 … 11-13 (9), 11-16.
    assert line.promised.date == D(2026, 11, 16)
    assert line.statutory.date == D(2026, 11, 30)
    assert not line.promised.is_estimate
    assert (case.promised_due, case.statutory_due) == (D(2026, 11, 16), D(2026, 11, 30))


def test_suspension_is_added_back_and_extension_extends_the_statutory_limit(org, system):
    power = confirmed_power(org.dept, statutory=20, promised=10)
    push(system, [
        received(power, "2026-11-02 09:00"), ("accepted", "2026-11-02 10:00"),
        ("suspended", "2026-11-04 15:00", {"ground": "补正"}),
        ("resumed", "2026-11-09 09:00", {"ground": "补正"}),
        ("extended", "2026-11-10 09:00", {"days": 10, "approver": "王局长", "ground": "需现场核查"}),
    ], today=D(2026, 11, 20))
    case, line = timeline(D(2026, 11, 20))
    # Suspended 11-05 (Thu), 11-06 (Fri), 11-09 (Mon): 3 working days added back.
    assert line.suspended_days == 3
    assert line.promised.date == D(2026, 11, 19)  # 11-16 + 3 working days
    # 20 + 10 extended + 3 suspended = the 33rd working day after 11-02: 12-17.
    assert line.statutory.date == D(2026, 12, 17)
    # (11-02, 11-20]: 14 working days, 3 of them suspended.
    assert line.elapsed_days == 11
    assert case.extended_days == 10 and case.suspended_days == 3


def test_running_suspension_reads_as_if_resumed_tomorrow_and_is_never_overdue(org, system):
    power = confirmed_power(org.dept, statutory=20, promised=10)
    push(system, [received(power, "2026-11-02 09:00"), ("accepted", "2026-11-02 10:00"),
                  ("suspended", "2026-11-13 16:00", {"ground": "专家评审"})], today=D(2026, 11, 30))
    case, line = timeline(D(2026, 11, 30))
    # Nine working days counted by 11-13; 11-14 … 11-30 suspended; the tenth is 12-01.
    assert line.promised.date == D(2026, 12, 1)
    assert case.state == "suspended"
    assert case.alerts.count() == 0
    assert case.schedule.next_check_on is None


def test_limit_across_national_day_and_its_adjusted_saturday(org, system):
    power = confirmed_power(org.dept, statutory=20, promised=10)
    push(system, [received(power, "2026-09-24 09:00")], today=D(2026, 9, 24))
    _case, line = timeline(D(2026, 9, 24))
    # 09-25 Mid-autumn off; 09-28, 29, 30; 10-01 … 07 off; 10-08, 09, Sat 10-10 worked, 12, 13, 14, 15.
    assert line.promised.date == D(2026, 10, 15)


def test_limit_across_the_spring_festival(org, system):
    power = confirmed_power(org.dept, statutory=10, promised=5)
    push(system, [received(power, "2026-02-11 09:00")], today=D(2026, 2, 11))
    _case, line = timeline(D(2026, 2, 11))
    # 02-12, 02-13, Sat 02-14 worked; 02-15 … 02-23 off; 02-24, 02-25.
    assert line.promised.date == D(2026, 2, 25)
    # … 02-26, 02-27, Sat 02-28 worked, 03-02, 03-03.
    assert line.statutory.date == D(2026, 3, 3)


def test_a_year_the_calendar_lacks_gives_a_flagged_estimate(org, system):
    power = confirmed_power(org.dept, statutory=30, promised=10)
    push(system, [received(power, "2026-11-30 09:00")], today=D(2026, 11, 30))
    case, line = timeline(D(2026, 11, 30))
    # 23 working days left in 2026 (12-01 … 12-31), then 2027 counted Monday to Friday:
    # 01-01 (24), 01-04 … 01-08 (29), 01-11 (30).
    assert line.statutory.date == D(2027, 1, 11)
    assert line.statutory.is_estimate and line.statutory.missing_years == (2027,)
    assert "2027" in line.statutory.notice
    # 12-01 … 12-04, 12-07 … 12-11, 12-14: inside 2026, no estimate.
    assert line.promised.date == D(2026, 12, 14)
    assert not line.promised.is_estimate
    assert case.due_is_estimate


def test_step_clock_from_the_flowchart(org, system):
    power = confirmed_power(org.dept)
    push(system, [received(power, "2026-11-02 09:00"), ("accepted", "2026-11-02 10:00"),
                  ("step_started", "2026-11-03 09:00", {"step": "审查", "person": "李四"}),
                  ("step_finished", "2026-11-12 17:00", {"step": "审查", "person": "李四"})], today=D(2026, 11, 12))
    _case, line = timeline(D(2026, 11, 12))
    review = next(s for s in line.steps if s.name == "审查")
    # Five working days from 11-03: 11-04, 05, 06, 09, 10.
    assert review.due.date == D(2026, 11, 10)
    assert review.elapsed_days == 7  # 11-04 … 11-06, 11-09 … 11-12
    assert review.overdue
