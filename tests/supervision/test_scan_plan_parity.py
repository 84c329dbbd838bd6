"""The beat scan serves a case's planned time checks in two ways: on PostgreSQL set-wise
in SQL (`_PLAN_LOCK_SQL` / `_PLAN_UPDATE_SQL`, through `_serve_plans_sql`), elsewhere in
Python (`rules.checks_due` through `_raise_planned`). On hand-written cases — a plain
one, a step running over, a suspension added back and an extension, a limit across the
National Day holiday, a case waiting for the applicant — both must raise the same alerts
and leave the same planned checks and next check day. Every date below was counted by hand
on the 2026 calendar (chinesecalendar's, as the calendar_2026 fixture loads it)."""

import datetime

import pytest
from django.db import connection, transaction

from supervision.models import Alert, Case, CaseSchedule
from supervision.services.alerts import supervision_system_user
from supervision.services.cases import _planned_cases, _raise_planned, _serve_plans_sql
from tests.supervision.factories import case_system, confirmed_power, push

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's only"),
]
D = datetime.date
SOON, OVER, STAT, STEP = "promised_soon", "promised_over", "statutory_over", "step_over"


@pytest.fixture
def cases(org, calendar_2026):
    system = case_system(org.dept)
    power = confirmed_power(org.dept, statutory=20, promised=10)
    short = confirmed_power(org.dept, statutory=20, promised=4)

    def start(case, when="2026-11-02"):
        return [("received", f"{when} 09:00", {"power": power.code, "case": case}),
                ("accepted", f"{when} 10:00", {"case": case})]

    # Accepted Mon 11-02 (day 0): promised 10 working days → 11-16, statutory 20 → 11-30.
    push(system, start("PLAIN"), today=D(2026, 11, 2))
    # 审查 (5 working days) started 11-03: due 11-10, its yellow card from 11-11.
    push(system, start("STEP") + [("step_started", "2026-11-03 09:00", {"case": "STEP", "step": "审查"})],
         today=D(2026, 11, 3))
    # Suspended 11-04, resumed 11-09: 11-05, 11-06, 11-09 added back (promised 11-19);
    # extended by 10: statutory 20 + 10 + 3 → 12-17.
    push(system, start("SUSP") + [
        ("suspended", "2026-11-04 15:00", {"case": "SUSP", "ground": "补正"}),
        ("resumed", "2026-11-09 09:00", {"case": "SUSP", "ground": "补正"}),
        ("extended", "2026-11-10 09:00", {"case": "SUSP", "days": 10, "approver": "王局长", "ground": "需现场核查"}),
    ], today=D(2026, 11, 10))
    # Received Thu 09-24, never accepted (the limits run from receipt): 09-25 is the
    # Mid-Autumn holiday, 10-01 … 10-07 National Day. Promised 4: 09-28, 09-29, 09-30,
    # 10-08; its prompt from the working day before, 09-30. Statutory 20: … 10-09, Sat
    # 10-10 worked, 10-12 … 10-16 (11), 10-19 … 10-23 (16), 10-26 … 10-29 (20).
    push(system, [("received", "2026-09-24 09:00", {"power": short.code, "case": "HOLIDAY"})], today=D(2026, 9, 24))
    # Waiting for the applicant since 11-05: nothing planned, never served.
    push(system, start("WAIT") + [("suspended", "2026-11-05 09:00", {"case": "WAIT", "ground": "补正"})],
         today=D(2026, 11, 5))
    return {case.number: case.pk for case in Case.objects.all()}


def test_the_plans_as_derived(cases):
    plans = {number: ([(c["rule"], c["from"], c["until"]) for c in s.time_checks], s.next_check_on)
             for number, s in ((Case.objects.get(pk=pk).number, CaseSchedule.objects.get(pk=pk))
                               for pk in cases.values())}
    assert plans == {
        "PLAIN": ([(SOON, "2026-11-13", "2026-11-16"), (OVER, "2026-11-17", None), (STAT, "2026-12-01", None)],
                  D(2026, 11, 13)),
        "STEP": ([(SOON, "2026-11-13", "2026-11-16"), (OVER, "2026-11-17", None), (STAT, "2026-12-01", None),
                  (STEP, "2026-11-11", None)], D(2026, 11, 11)),
        "SUSP": ([(SOON, "2026-11-18", "2026-11-19"), (OVER, "2026-11-20", None), (STAT, "2026-12-18", None)],
                 D(2026, 11, 18)),
        "HOLIDAY": ([(SOON, "2026-09-30", "2026-10-08"), (OVER, "2026-10-09", None), (STAT, "2026-10-30", None)],
                    D(2026, 9, 30)),
        "WAIT": ([], None),
    }


# On each scan day, every case offered to both paths: {case: (alerts raised, the checks
# left as (rule, from), the next check day)}; WAIT (suspended) is never served.
PLAIN_ALL = [(SOON, "2026-11-13"), (OVER, "2026-11-17"), (STAT, "2026-12-01")]
SUSP_ALL = [(SOON, "2026-11-18"), (OVER, "2026-11-20"), (STAT, "2026-12-18")]
HOLIDAY_ALL = [(SOON, "2026-09-30"), (OVER, "2026-10-09"), (STAT, "2026-10-30")]
EXPECTED = {
    D(2026, 9, 29): {
        "PLAIN": ([], PLAIN_ALL, D(2026, 11, 13)),
        "STEP": ([], PLAIN_ALL + [(STEP, "2026-11-11")], D(2026, 11, 11)),
        "SUSP": ([], SUSP_ALL, D(2026, 11, 18)),
        "HOLIDAY": ([], HOLIDAY_ALL, D(2026, 9, 30)),
    },
    # The prompt's first day, the last working day before the holiday.
    D(2026, 9, 30): {"HOLIDAY": ([SOON], HOLIDAY_ALL[1:], D(2026, 10, 9))},
    # Its last day is the due date itself, after the holiday.
    D(2026, 10, 8): {"HOLIDAY": ([SOON], HOLIDAY_ALL[1:], D(2026, 10, 9))},
    # The day after: the prompt has given way to the yellow card.
    D(2026, 10, 9): {"HOLIDAY": ([OVER], HOLIDAY_ALL[2:], D(2026, 10, 30))},
    D(2026, 11, 11): {
        "PLAIN": ([], PLAIN_ALL, D(2026, 11, 13)),
        "STEP": ([STEP], PLAIN_ALL, D(2026, 11, 13)),
        "SUSP": ([], SUSP_ALL, D(2026, 11, 18)),
        "HOLIDAY": ([OVER, STAT], [], None),
    },
    D(2026, 11, 17): {
        "PLAIN": ([OVER], PLAIN_ALL[2:], D(2026, 12, 1)),
        "STEP": ([OVER, STEP], PLAIN_ALL[2:], D(2026, 12, 1)),
        "SUSP": ([], SUSP_ALL, D(2026, 11, 18)),
    },
    D(2026, 11, 18): {"SUSP": ([SOON], SUSP_ALL[1:], D(2026, 11, 20))},
    D(2026, 12, 18): {
        "PLAIN": ([OVER, STAT], [], None),
        "SUSP": ([OVER, STAT], [], None),
    },
}


def _serve(path, ids, today):
    """Serve the plans of `ids` on `today` by `path` and roll back: {case_id: (rules
    raised, checks left, next check day)} and the ids served."""
    actor = supervision_system_user()
    with transaction.atomic():
        if path == "sql":
            served, _alerts = _serve_plans_sql(ids, today=today, actor=actor)
        else:
            planned = _planned_cases(ids)
            _raise_planned(planned, today=today, actor=actor)
            served = {case.pk for case in planned}
        outcome = {}
        for schedule in CaseSchedule.objects.filter(pk__in=ids):
            rules = sorted(Alert.objects.filter(case_id=schedule.pk).values_list("rule", flat=True))
            outcome[schedule.pk] = (rules, [(c["rule"], c["from"]) for c in schedule.time_checks],
                                    schedule.next_check_on)
        transaction.set_rollback(True)
    return served, outcome


@pytest.mark.parametrize("today", sorted(EXPECTED))
def test_sql_and_python_paths_serve_the_same_plan(cases, today):
    ids = list(cases.values())
    sql_served, sql = _serve("sql", ids, today)
    python_served, python = _serve("python", ids, today)
    assert sql_served == python_served == {pk for number, pk in cases.items() if number != "WAIT"}
    assert sql == python
    by_number = {number: sql[pk] for number, pk in cases.items()}
    for number, expected in EXPECTED[today].items():
        assert by_number[number] == expected, number
    assert by_number["WAIT"] == ([], [], None)
