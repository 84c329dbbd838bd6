"""Raising an alert tells the responsible department and the region's supervisors (through
the engine's outbox, after commit, one digest per recipient); the quarter's yellow-card
check costs one query for a whole batch; adding events by hand is a rule of
supervision.permissions."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from powerlist.notifications.models import Notification
from powerlist.review.contract import contract_for
from supervision.alert_flow import AlertState
from supervision.models import Alert, AlertKind, AlertRule
from supervision.permissions import can_add_case_event
from supervision.services.alerts import alerts_build, yellow_cards_this_quarter
from supervision.services.cases import cases_scan
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


def late_acceptance(case):
    return [("step_started", "2026-11-02 11:00", {"step": "受理", "case": case}),
            ("step_finished", "2026-11-05 11:00", {"step": "受理", "case": case})]


def recipients():
    return sorted(Notification.objects.values_list("recipient__username", flat=True))


def test_a_raised_alert_tells_the_department_and_the_supervisors_after_commit(
        org, system, power, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        push(system, start(power) + late_acceptance("C1"), today=D(2026, 11, 5))
        assert Notification.objects.count() == 0  # nothing before the commit
    assert callbacks
    assert Alert.objects.get().rule == AlertRule.STEP_OVER
    # Not the other department's clerk, not the city's, not the pushing system's account.
    assert recipients() == ["clerk", "dept_reviewer", "supervisor"]
    notice = Notification.objects.get(recipient=org.supervisor)
    assert notice.kind == Notification.Kind.QUEUE
    assert "C1" in notice.title and "系统发出" in notice.title
    assert notice.url == Alert.objects.get().get_absolute_url()


def test_a_scan_raising_many_alerts_sends_one_digest_per_recipient(
        org, system, power, django_capture_on_commit_callbacks):
    push(system, start(power, "C1") + start(power, "C2") + start(power, "C3"), today=D(2026, 11, 2))
    with django_capture_on_commit_callbacks(execute=True):
        result = cases_scan(today=D(2026, 12, 2), chunk_size=2)
    assert result == {"checked": 3, "raised": 6}  # promised and statutory limits, three cases
    assert recipients() == ["clerk", "dept_reviewer", "supervisor"]
    assert Notification.objects.get(recipient=org.clerk).item_count == 6


def test_no_alert_no_notice(system, power, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        push(system, start(power), today=D(2026, 11, 3))
    assert (Alert.objects.count(), Notification.objects.count()) == (0, 0)


def _yellow_check_queries(system, power, cases):
    events = [e for n in range(cases) for e in start(power, f"Y{n}") + late_acceptance(f"Y{n}")]
    with CaptureQueriesContext(connection) as ctx:
        push(system, events, today=D(2026, 11, 5))
    return sum(1 for q in ctx.captured_queries if '"kind" = \'yellow\'' in q["sql"])


def test_the_second_yellow_card_check_is_one_query_for_a_batch(system, power):
    assert _yellow_check_queries(system, power, 4) == 1
    alerts = list(Alert.objects.filter(rule=AlertRule.STEP_OVER).order_by("case__number"))
    # The first card of the post this quarter stays open; the next ones come escalated.
    assert [(a.case.number, a.escalated_to_head) for a in alerts] == [
        ("Y0", False), ("Y1", True), ("Y2", True), ("Y3", True)]


def test_the_yellow_check_counts_cards_saved_before(system, power):
    push(system, start(power, "A") + late_acceptance("A"), today=D(2026, 11, 5))
    assert _yellow_check_queries(system, power, 1) == 1
    assert Alert.objects.get(case__number="Y0", rule=AlertRule.STEP_OVER).escalated_to_head


def test_adding_events_by_hand_is_for_the_handling_departments_clerks(org, system, power):
    case = push(system, start(power), today=D(2026, 11, 3))[0].case
    assert can_add_case_event(org.clerk, case)
    refused = can_add_case_event(org.other_clerk, case)
    assert not refused and "承办部门" in refused.reason
    assert not can_add_case_event(org.dept_reviewer, case)
    assert not can_add_case_event(org.supervisor, case)


def _spec(alert, step_key):
    return SimpleNamespace(rule=AlertRule.STEP_OVER, step_key=step_key, kind=AlertKind.YELLOW, post_id=alert.post_id,
                           step_name="受理", post_name=alert.post_name, person="", message="环节超时", due_on=None)


def test_the_yellow_check_reads_one_row_per_post_and_still_tells_another_case(system, power):
    for number in ("A", "B", "C"):
        push(system, start(power, number) + late_acceptance(number), today=D(2026, 11, 5))
    cards = {a.case.number: a for a in Alert.objects.filter(kind=AlertKind.YELLOW).select_related("case")}
    assert sorted(cards) == ["A", "B", "C"]
    post_id = cards["A"].post_id
    assert post_id and {a.post_id for a in cards.values()} == {post_id}
    now = timezone.now()
    found = yellow_cards_this_quarter([post_id], now)
    # The lowest and the highest case id of the post's cards: not every case.
    assert found == {post_id: {cards["A"].case_id, cards["C"].case_id}}
    # A new card on B (neither of the two ids read) comes escalated: the post had cards on A and C.
    new = alerts_build(case=cards["B"].case, specs=[_spec(cards["B"], "other")], raised=set(), now=now,
                       quarter_yellow=found)
    assert [(a.escalated_to_head, a.state) for a in new] == [(True, AlertState.ESCALATED)]


def test_a_post_whose_only_cards_are_on_this_case_is_not_escalated(system, power):
    push(system, start(power, "A") + late_acceptance("A"), today=D(2026, 11, 5))
    card = Alert.objects.select_related("case").get(kind=AlertKind.YELLOW)
    found = yellow_cards_this_quarter([card.post_id], timezone.now())
    assert found == {card.post_id: {card.case_id}}
    new = alerts_build(case=card.case, specs=[_spec(card, "other")], raised=set(), now=timezone.now(),
                       quarter_yellow=found)
    assert [(a.escalated_to_head, a.state) for a in new] == [(False, AlertState.OPEN)]


def test_an_alert_is_named_and_linked_as_before_from_one_reverse(system, power):
    push(system, start(power, "A") + late_acceptance("A") + start(power, "B") + late_acceptance("B"),
         today=D(2026, 11, 5))
    alerts = list(Alert.objects.select_related("case").order_by("case__number"))
    contract = contract_for(Alert)
    assert [str(a) for a in alerts] == ["黄牌 A 环节超时", "黄牌 B 环节超时"]
    assert [contract.describe(a) for a in alerts] == [str(a) for a in alerts]
    assert [str(a) for a in alerts] == [f"{a.get_kind_display()} {a.case.number} {a.get_rule_display()}"
                                        for a in alerts]
    assert contract.urls(alerts) == [f"/supervision/alerts/{a.pk}/" for a in alerts]
    assert contract.urls(alerts) == [a.get_absolute_url() for a in alerts]
    unknown = Alert(case=alerts[0].case, kind="green", rule="nothing")
    assert str(unknown) == "green A nothing"  # as get_FOO_display: the value when it is no choice
