"""A case's stored timeline state (timeline.timeline_state) and the events later than
all it holds give the same timeline as deriving the case from all its events: checked on
random event histories split at random (hypothesis), and through the intake, where
events arriving in time order take the stored state and out-of-order ones are derived
again from all the events."""

import datetime
import io
import json
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervision.models import Case, CaseEvent, Suspension
from supervision.rules import alerts_due, time_checks
from supervision.services.cases import cases_state_backfill
from supervision.timeline import case_timeline, timeline_resumable, timeline_resume, timeline_state
from tests.supervision.factories import case_system, confirmed_power, push

pytestmark = pytest.mark.django_db
UTC = datetime.timezone.utc
BASE = datetime.datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 in Beijing, a Monday
TODAY = datetime.date(2026, 12, 10)
CHART = {"steps": [
    {"key": "s1", "name": "受理", "time_limit_days": 1, "post_id": 1, "post": "受理岗"},
    {"key": "s2", "name": "审查", "time_limit_days": 5, "post_id": 2, "post": "审查岗", "is_checkpoint": True},
    {"key": "s3", "name": "决定", "time_limit_days": 2, "post_id": 3, "post": "决定岗"},
    {"key": "s4", "name": "送达"},
], "transitions": [{"source": "s1", "target": "s2"}, {"source": "s2", "target": "s3"},
                   {"source": "s3", "target": "s4"}]}
KINDS = ["accepted", "refused", "step_started", "step_finished", "suspended", "resumed", "extended", "decided",
         "fee_charged", "delivered"]


def _payload(kind, draw_int):
    return {
        "received": {"online": draw_int % 2 == 0},
        "refused": {"reasons": [] if draw_int % 2 else ["材料不齐全"]},
        "suspended": {"ground": "补正"}, "resumed": {"ground": "补正"},
        "extended": {"days": 1 + draw_int % 15, "approver": "王局长", "ground": "需现场核查"},
        "decided": {"measure": {"amount": str(1000 * (draw_int % 9)), "unit": "yuan", "grade": ""}},
        "fee_charged": {"amount": "50"},
    }.get(kind, {})


event_st = st.tuples(st.sampled_from(KINDS), st.integers(0, 40 * 24), st.sampled_from(["s1", "s2", "s3", "s4", "x"]),
                     st.sampled_from(["", "李四", "赵六"]), st.integers(0, 99))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(event_st, min_size=0, max_size=14), received_hours=st.integers(0, 3),
       online=st.integers(0, 1), split=st.floats(0, 1))
def test_resuming_the_stored_state_equals_deriving_from_all_events(calendar_2026, history, received_hours, online,
                                                                   split):
    case = SimpleNamespace(received_at=BASE + datetime.timedelta(hours=received_hours), online=True,
                           statutory_days=20, promised_days=10, number="C1")
    events = [SimpleNamespace(pk=1, kind="received", occurred_at=case.received_at, step_key="", person="",
                              payload=_payload("received", online))]
    for pk, (kind, hours, step, person, n) in enumerate(history, start=2):
        events.append(SimpleNamespace(pk=pk, kind=kind, occurred_at=BASE + datetime.timedelta(hours=hours),
                                      step_key=step if kind.startswith("step_") else "", person=person,
                                      payload=_payload(kind, n)))
    ordered = sorted(events, key=lambda e: (e.occurred_at, e.pk))
    k = max(1, round(split * len(ordered)))
    stored, later = ordered[:k], ordered[k:]
    full = case_timeline(case, events, flowchart_data=CHART, today=TODAY)
    # As the case row keeps it: JSON through the database.
    state = json.loads(json.dumps(timeline_state(case_timeline(case, stored, flowchart_data=CHART, today=TODAY))))
    if not later:
        assert not timeline_resumable(state, later)
        return
    assert timeline_resumable(state, later)
    resumed = timeline_resume(case, state, list(reversed(later)), flowchart_data=CHART, today=TODAY)
    assert resumed == full
    assert timeline_state(resumed) == timeline_state(full)
    assert alerts_due(case, resumed, today=TODAY, flowchart_data=CHART) == alerts_due(
        case, full, today=TODAY, flowchart_data=CHART)
    assert time_checks(case, resumed, raised=set()) == time_checks(case, full, raised=set())


def test_an_event_before_the_last_stored_one_is_not_resumed(calendar_2026):
    case = SimpleNamespace(received_at=BASE, online=True, statutory_days=20, promised_days=10, number="C1")
    events = [SimpleNamespace(pk=1, kind="received", occurred_at=BASE, step_key="", person="", payload={}),
              SimpleNamespace(pk=2, kind="accepted", occurred_at=BASE + datetime.timedelta(days=2), step_key="",
                              person="", payload={})]
    state = timeline_state(case_timeline(case, events, flowchart_data=CHART, today=TODAY))
    earlier = SimpleNamespace(pk=3, kind="accepted", occurred_at=BASE + datetime.timedelta(days=1), step_key="",
                              person="", payload={})
    same_time = SimpleNamespace(pk=4, kind="decided", occurred_at=BASE + datetime.timedelta(days=2), step_key="",
                                person="", payload={})
    assert not timeline_resumable(state, [earlier])
    assert timeline_resumable(state, [same_time])  # stored after it, so ordered after it
    assert not timeline_resumable({**state, "v": 0}, [same_time])  # another version's state is not resumed
    assert not timeline_resumable(None, [same_time])


# --- Through the intake -------------------------------------------------------------

DERIVED = ("state", "accepted_at", "decided_at", "delivered_at", "extended_days", "suspended_days", "statutory_due",
           "promised_due", "current_step_key", "current_step_name", "current_step_due", "handler_name", "on_time",
           "online", "first_event_at", "timeline_state")
INTAKE_EVENTS = [
    ("accepted", "2026-11-02 10:00", {}),
    ("step_started", "2026-11-02 11:00", {"step": "受理", "person": "李四"}),
    ("step_finished", "2026-11-03 16:00", {"step": "受理", "person": "李四"}),
    ("step_started", "2026-11-04 09:00", {"step": "审查", "person": "赵六"}),
    ("suspended", "2026-11-05 15:00", {"ground": "补正"}),
    ("resumed", "2026-11-10 09:00", {"ground": "补正"}),
    ("extended", "2026-11-11 09:00", {"days": 5, "approver": "王局长", "ground": "需现场核查"}),
    ("step_finished", "2026-11-19 17:00", {"step": "审查", "person": "赵六"}),
    ("step_started", "2026-11-20 09:00", {"step": "决定", "person": "王五"}),
    ("fee_charged", "2026-11-23 09:00", {"amount": "50"}),
    ("decided", "2026-11-27 10:00", {"measure": {"amount": "3000"}}),
]


@pytest.fixture
def system(org):
    return case_system(org.dept)


@pytest.fixture
def power(org, calendar_2026):
    return confirmed_power(org.dept, fee_basis="收费依据")


def _derived(number):
    """The case's derived fields, its stored state (its last event named by time: the ids
    differ between cases), schedule and suspensions."""
    case = Case.objects.get(number=number)
    fields = {name: getattr(case, name) for name in DERIVED}
    fields["timeline_state"] = {**fields["timeline_state"], "last": fields["timeline_state"]["last"][0]}
    return (fields, case.schedule.next_check_on, case.schedule.time_checks,
            sorted(Suspension.objects.filter(case=case).values_list("ground", "started_on", "ended_on")))


def _events(power, case):
    return [("received", "2026-11-02 09:00", {"power": power.code, "case": case})] + [
        (kind, when, {**extra, "case": case}) for kind, when, extra in INTAKE_EVENTS]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_intake_in_any_order_and_batching_gives_the_case_of_one_push(system, power, data):
    """The alerts raised on the way may differ (a step started before the checkpoint's
    start arrived is a skipped checkpoint while it lasts); the case does not."""
    n = Case.objects.count()
    one, many = f"ONE-{n}", f"MANY-{n}"
    today = datetime.date(2026, 11, 30)
    push(system, _events(power, one), today=today)
    # The same events in a random order (received first: a case is created by it), in
    # random batches; some arrive in time order (the stored state is resumed), some late.
    rest = data.draw(st.permutations(_events(power, many)[1:]))
    cuts = sorted(data.draw(st.sets(st.integers(1, len(rest) - 1), max_size=5)))
    push(system, _events(power, many)[:1], today=today)
    for start, end in zip([0, *cuts], [*cuts, len(rest)]):
        push(system, rest[start:end], today=today)
    assert CaseEvent.objects.filter(case__number=many).count() == len(INTAKE_EVENTS) + 1
    got, expected = _derived(many), _derived(one)
    assert got[0] == expected[0]
    assert got[1:] == expected[1:]
    assert Case.objects.get(number=one).state == "decided"


def test_an_event_in_time_order_reads_no_stored_event_and_a_late_one_reads_from_the_first(system, power):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = datetime.date(2026, 11, 30)
    push(system, _events(power, "C1")[:3], today=today)  # received, accepted, 受理 started
    with CaptureQueriesContext(connection) as ctx:
        push(system, [_events(power, "C1")[5]], today=today)  # suspended 11-05
    reads = [q["sql"] for q in ctx.captured_queries
             if q["sql"].startswith("SELECT") and '"supervision_caseevent"' in q["sql"]]
    assert reads == []
    with CaptureQueriesContext(connection) as ctx:
        push(system, [_events(power, "C1")[3]], today=today)  # 受理 finished 11-03: before the suspension
    reads = [q["sql"] for q in ctx.captured_queries
             if q["sql"].startswith("SELECT") and '"supervision_caseevent"' in q["sql"]]
    assert len(reads) == 1 and '"occurred_at" >=' in reads[0]
    case = Case.objects.get()
    assert case.first_event_at == datetime.datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    assert (case.state, case.timeline_state["seq"], len(case.timeline_state["step_order"])) == ("suspended", 5, 1)


def test_the_backfill_stores_the_state_of_open_cases_derived_before_it_was_kept(system, power):
    from django.core.management import call_command

    today = datetime.date(2026, 11, 30)
    push(system, _events(power, "OPEN")[:4], today=today)  # received, accepted, 受理 started and finished
    push(system, _events(power, "CLOSED"), today=today)  # decided
    stored = Case.objects.get(number="OPEN").timeline_state
    Case.objects.update(timeline_state=None)  # as after migration 0010
    call_command("supervision_state_backfill", stdout=io.StringIO())
    assert Case.objects.get(number="OPEN").timeline_state == stored
    assert Case.objects.get(number="CLOSED").timeline_state is None  # closed: not derived
    assert cases_state_backfill(today=today) == {"derived": 0, "raised": 0}  # nothing left


def test_the_nightly_task_finishes_the_backfill_without_an_operator(system, power, monkeypatch):
    from django.conf import settings

    from supervision import tasks

    today = datetime.date(2026, 11, 30)
    for number in ("A", "B", "C"):
        push(system, _events(power, number)[:4], today=today)
    stored = dict(Case.objects.values_list("number", "timeline_state"))
    Case.objects.update(timeline_state=None)  # as after migration 0010
    assert settings.CELERY_BEAT_SCHEDULE["supervision-state-backfill"]["task"] == "supervision.state_backfill"
    monkeypatch.setattr(tasks, "STATE_BACKFILL_PER_RUN", 2)
    assert tasks.state_backfill()["derived"] == 2  # a bounded number a night
    assert Case.objects.filter(timeline_state__isnull=True).count() == 1
    assert tasks.state_backfill()["derived"] == 1
    assert tasks.state_backfill()["derived"] == 0  # nothing left: a no-op
    assert dict(Case.objects.values_list("number", "timeline_state")) == stored
