"""Each alert rule firing and not firing, on hand-counted 2026 dates.

The demo procedure (tests/supervision/factories.py): 受理 1 day, 审查 5 days (a
supervision checkpoint), 决定 2 days, 送达; promised 10 and statutory 20 working days.
Received and accepted Mon 2026-11-02: promised due 11-16 (the working day before it is
Fri 11-13), statutory due 11-30."""

import datetime
from decimal import Decimal

import pytest

from riskpoints.models import DiscretionBenchmark, DiscretionGrade, DiscretionRow
from supervision.alert_flow import AlertState
from supervision.models import Alert, AlertKind, AlertRule, Case
from supervision.services.cases import cases_scan
from supervision.tasks import scan_open_cases
from tests.supervision.factories import case_system, confirmed_power, push

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def system(org, calendar_2026):
    return case_system(org.dept)


@pytest.fixture
def power(org, calendar_2026):
    return confirmed_power(org.dept)


def start(power, case="C1"):
    return [("received", "2026-11-02 09:00", {"power": power.code, "case": case}),
            ("accepted", "2026-11-02 10:00", {"case": case})]


def rules(case="C1"):
    return sorted(Alert.objects.filter(case__number=case).values_list("rule", flat=True))


def test_prompt_one_working_day_before_the_promised_limit(system, power):
    push(system, start(power), today=D(2026, 11, 12))
    assert rules() == []
    cases_scan(today=D(2026, 11, 13))
    assert rules() == [AlertRule.PROMISED_SOON]
    alert = Alert.objects.get()
    assert (alert.kind, alert.due_on) == (AlertKind.PROMPT, D(2026, 11, 16))


def test_yellow_card_the_day_after_the_promised_limit_not_on_it(system, power):
    push(system, start(power), today=D(2026, 11, 16))
    assert AlertRule.PROMISED_OVER not in rules()
    cases_scan(today=D(2026, 11, 17))
    assert AlertRule.PROMISED_OVER in rules()
    assert Alert.objects.get(rule=AlertRule.PROMISED_OVER).kind == AlertKind.YELLOW


def test_a_late_decision_reported_late_is_a_yellow_card(system, power):
    push(system, start(power) + [("decided", "2026-11-17 10:00")], today=D(2026, 11, 20))
    assert rules() == [AlertRule.CHECKPOINT_SKIPPED, AlertRule.PROMISED_OVER]
    assert Case.objects.get().on_time is False


def test_decision_within_the_promise_raises_no_time_alert(system, power):
    steps = [("step_started", "2026-11-02 11:00", {"step": "受理"}), ("step_finished", "2026-11-03 11:00", {"step": "受理"}),
             ("step_started", "2026-11-03 14:00", {"step": "审查"}), ("step_finished", "2026-11-06 11:00", {"step": "审查"}),
             ("step_started", "2026-11-09 09:00", {"step": "决定"}), ("decided", "2026-11-10 10:00")]
    push(system, start(power) + steps, today=D(2026, 12, 1))
    assert rules() == []
    case = Case.objects.get()
    assert case.on_time is True and case.schedule.next_check_on is None


def test_red_card_after_the_statutory_limit_only(system, power):
    push(system, start(power), today=D(2026, 11, 30))
    assert AlertRule.STATUTORY_OVER not in rules()
    cases_scan(today=D(2026, 12, 1))
    assert Alert.objects.get(rule=AlertRule.STATUTORY_OVER).kind == AlertKind.RED


def test_step_over_its_flowchart_limit(system, power):
    # 受理 has 1 working day: started 11-02, due 11-03.
    push(system, start(power) + [("step_started", "2026-11-02 11:00", {"step": "受理", "person": "李四"}),
                                 ("step_finished", "2026-11-03 17:00", {"step": "受理", "person": "李四"})],
         today=D(2026, 11, 4))
    assert rules() == []
    push(system, [("step_started", "2026-11-03 17:30", {"step": "审查", "person": "赵六"}),
                  ("step_finished", "2026-11-11 09:00", {"step": "审查", "person": "赵六"})], today=D(2026, 11, 11))
    alert = Alert.objects.get(rule=AlertRule.STEP_OVER)
    # 审查: 5 working days from 11-03 → 11-10; finished 11-11.
    assert (alert.step_name, alert.post_name, alert.person_name, alert.due_on) == ("审查", "审查岗", "赵六", D(2026, 11, 10))


def test_a_running_step_past_its_limit_is_found_by_the_scan(system, power):
    push(system, start(power) + [("step_started", "2026-11-03 09:00", {"step": "审查", "person": "赵六"})],
         today=D(2026, 11, 3))
    assert Case.objects.get().schedule.next_check_on == D(2026, 11, 11)
    cases_scan(today=D(2026, 11, 10))
    assert rules() == []
    cases_scan(today=D(2026, 11, 11))
    assert rules() == [AlertRule.STEP_OVER]


def test_suspended_case_is_never_overdue(system, power):
    push(system, start(power) + [("suspended", "2026-11-05 09:00", {"ground": "补正"})], today=D(2026, 12, 10))
    cases_scan(today=D(2026, 12, 10))
    assert rules() == []


def test_refusal_without_reasons(system, power):
    push(system, [start(power)[0], ("refused", "2026-11-02 11:00", {"reasons": []})], today=D(2026, 11, 2))
    assert rules() == [AlertRule.REFUSAL_WITHOUT_REASONS]
    push(system, [start(power, "C2")[0], ("refused", "2026-11-02 11:00", {"case": "C2", "reasons": ["材料不齐全"]})],
         today=D(2026, 11, 2))
    assert rules("C2") == []


@pytest.mark.parametrize("measure, fires", [
    ({"amount": 6000, "grade": DiscretionGrade.GENERAL}, True),   # general: 2000–5000
    ({"amount": 3000, "grade": DiscretionGrade.GENERAL}, False),
    ({"amount": 20000}, True),                                    # statutory: 1000–10000
    ({"amount": 8000}, False),
])
def test_decision_outside_the_discretion_benchmark(org, system, power, measure, fires):
    benchmark = DiscretionBenchmark.objects.create(
        power=power, region=power.region, department=power.department, title="罚款裁量基准",
        statutory_min=Decimal("1000"), statutory_max=Decimal("10000"), statutory_text="处一千元以上一万元以下罚款")
    DiscretionRow.objects.create(benchmark=benchmark, violation="未按规定报告", clause_breached="第十条",
                                 penalty_basis="第三十条", grade=DiscretionGrade.GENERAL, circumstances="首次违法",
                                 range_min=Decimal("2000"), range_max=Decimal("5000"), measure_text="处罚款")
    push(system, start(power) + [("step_started", "2026-11-03 09:00", {"step": "审查"}),
                                 ("decided", "2026-11-04 10:00", {"measure": measure})], today=D(2026, 11, 4))
    assert (AlertRule.DISCRETION_OUT_OF_RANGE in rules()) is fires


def test_checkpoint_skipped_and_out_of_order(system, power):
    push(system, start(power) + [("step_started", "2026-11-02 11:00", {"step": "受理"}),
                                 ("step_started", "2026-11-03 09:00", {"step": "决定"})], today=D(2026, 11, 3))
    assert rules() == [AlertRule.CHECKPOINT_SKIPPED]
    alert = Alert.objects.get()
    assert (alert.step_name, alert.post_name) == ("审查", "审查岗")
    push(system, start(power, "C2") + [("step_started", "2026-11-02 11:00", {"step": "决定", "case": "C2"}),
                                       ("step_started", "2026-11-03 09:00", {"step": "审查", "case": "C2"})],
         today=D(2026, 11, 3))
    assert rules("C2") == [AlertRule.CHECKPOINT_OUT_OF_ORDER]
    push(system, start(power, "C3") + [("step_started", "2026-11-02 11:00", {"step": "受理", "case": "C3"}),
                                       ("step_started", "2026-11-02 14:00", {"step": "审查", "case": "C3"}),
                                       ("step_started", "2026-11-03 09:00", {"step": "决定", "case": "C3"})],
         today=D(2026, 11, 3))
    assert rules("C3") == []


def test_fee_where_the_power_has_no_fee_basis(org, system, power):
    push(system, start(power) + [("fee_charged", "2026-11-03 09:00", {"amount": "200"})], today=D(2026, 11, 3))
    assert rules() == [AlertRule.FEE_WITHOUT_BASIS]
    with_basis = confirmed_power(org.dept, fee_basis="《行政事业性收费项目目录》第3项")
    push(system, start(with_basis, "C2") + [("fee_charged", "2026-11-03 09:00", {"amount": "200", "case": "C2"})],
         today=D(2026, 11, 3))
    assert rules("C2") == []


def test_application_not_handled_online(system, power):
    push(system, [("received", "2026-11-02 09:00", {"power": power.code, "online": False})], today=D(2026, 11, 2))
    assert rules() == [AlertRule.NOT_ONLINE]


def test_second_yellow_card_for_a_post_in_a_quarter_is_escalated(system, power):
    late_acceptance = [("step_started", "2026-11-02 11:00", {"step": "受理"}),
                       ("step_finished", "2026-11-05 11:00", {"step": "受理"})]
    push(system, start(power) + late_acceptance, today=D(2026, 11, 5))
    push(system, start(power, "C2") + [(k, w, {**e, "case": "C2"}) for k, w, e in late_acceptance], today=D(2026, 11, 5))
    first, second = Alert.objects.filter(rule=AlertRule.STEP_OVER).order_by("case__number")
    assert (first.state, first.escalated_to_head) == (AlertState.OPEN, False)
    assert (second.state, second.escalated_to_head) == (AlertState.ESCALATED, True)


def test_each_alert_is_raised_once(system, power):
    push(system, start(power), today=D(2026, 12, 1))
    cases_scan(today=D(2026, 12, 2))
    cases_scan(today=D(2026, 12, 3))
    assert rules() == [AlertRule.PROMISED_OVER, AlertRule.STATUTORY_OVER]


def test_beat_task_is_scheduled_and_scans(settings, system, power):
    assert settings.CELERY_BEAT_SCHEDULE["supervision-scan-open-cases"]["task"] == "supervision.scan_open_cases"
    push(system, start(power), today=D(2026, 11, 2))
    result = scan_open_cases.delay().get()
    # Run on the real date (2026-12-01 or later): both limits of a case from 11-02 are past.
    assert result == {"checked": 1, "raised": 2}


def test_the_scan_serves_a_planned_case_without_reading_its_events(system, power):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    push(system, start(power) + [("step_started", "2026-11-03 09:00", {"step": "审查", "person": "赵六"})],
         today=D(2026, 11, 3))
    case = Case.objects.get()
    # Planned on intake: the prompt (11-13 to 11-16), the yellow cards (promised 11-17,
    # 审查 5 days from 11-03 → due 11-10, so 11-11) and the red card (11-30 → 12-01).
    assert [(c["rule"], c["from"], c["until"]) for c in case.schedule.time_checks] == [
        ("promised_soon", "2026-11-13", "2026-11-16"), ("promised_over", "2026-11-17", None),
        ("statutory_over", "2026-12-01", None), ("step_over", "2026-11-11", None)]
    with CaptureQueriesContext(connection) as ctx:
        assert cases_scan(today=D(2026, 11, 11)) == {"checked": 1, "raised": 1}
    assert not [q for q in ctx.captured_queries if "supervision_caseevent" in q["sql"]]
    alert = Alert.objects.get()
    assert (alert.rule, alert.step_name, alert.post_name, alert.person_name, alert.due_on) == (
        AlertRule.STEP_OVER, "审查", "审查岗", "赵六", D(2026, 11, 10))
    case.refresh_from_db()
    assert case.schedule.next_check_on == D(2026, 11, 13)
    # A late scan: the prompt's last day has passed, so only the yellow card comes.
    cases_scan(today=D(2026, 11, 18))
    assert rules() == [AlertRule.PROMISED_OVER, AlertRule.STEP_OVER]
    case.refresh_from_db()
    assert [c["rule"] for c in case.schedule.time_checks] == ["statutory_over"]
    assert case.schedule.next_check_on == D(2026, 12, 1)


def test_a_case_with_estimated_due_dates_is_derived_again_by_the_scan(org, system, calendar_2026):
    # 30 working days from 2026-11-30 reach into 2027, which the calendar does not hold.
    late_power = confirmed_power(org.dept, steps=({"name": "受理"},), statutory=30, promised=15)
    push(system, [("received", "2026-11-30 09:00", {"power": late_power.code}),
                  ("accepted", "2026-11-30 10:00")], today=D(2026, 11, 30))
    case = Case.objects.get()
    assert (case.due_is_estimate, case.schedule.time_checks) == (True, None)
    result = cases_scan(today=case.promised_due + datetime.timedelta(days=1))
    assert result["checked"] == 1
    assert AlertRule.PROMISED_OVER in rules()


def test_the_scan_of_planned_cases_costs_the_same_queries_for_two_cases_or_twelve(system, power):
    """The plans are served set-wise (on PostgreSQL two statements a chunk): the queries
    of a pass grow with the number of chunks, not of cases. Received 11-02: on 11-17 each
    case's prompt (until 11-16) is dropped and its yellow card (from 11-17) is due."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    # The first pass warms what is created once (the scan's account, the region's record chain).
    for cases in (["W1"], ["A1", "A2"], [f"B{i}" for i in range(12)]):
        push(system, [e for case in cases for e in start(power, case)], today=D(2026, 11, 2))
        with CaptureQueriesContext(connection) as ctx:
            result = cases_scan(today=D(2026, 11, 17))
        counts.append(len(ctx))
        assert result == {"checked": len(cases), "raised": len(cases)}
        assert all(rules(case) == [AlertRule.PROMISED_OVER] for case in cases)
        assert set(Case.objects.filter(number__in=cases).values_list("schedule__next_check_on", flat=True)) == {D(2026, 12, 1)}
    assert counts[1] == counts[2]
