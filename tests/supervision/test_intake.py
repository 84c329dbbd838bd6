"""The intake API: authenticated per system, idempotent, out of order, all or nothing."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from disclosure.services import publication_create
from powerlist.review.record_models import ReviewLogEntry
from supervision.models import Alert, Case, CaseEvent, CaseState, Suspension
from tests.supervision.factories import case_system, confirmed_power

pytestmark = pytest.mark.django_db
URL = "/api/v1/supervision/events/"


@pytest.fixture
def power(org, calendar_2026):
    return confirmed_power(org.dept)


@pytest.fixture
def system(org):
    return case_system(org.dept)


def client_for(system):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {system.token}")
    return client


def received(power, *, event_id="r1", case="XK-2026-0001", when="2026-11-02T09:00:00+08:00"):
    return {"event_id": event_id, "kind": "received", "case": case, "occurred_at": when, "power": power.code,
            "applicant": {"name": "张三丰", "id_number": "210102199001011234", "phone": "13800001111"}}


def test_batch_out_of_order_is_ordered_by_occurrence(power, system):
    events = [
        {"event_id": "e3", "kind": "step_finished", "case": "XK-2026-0001", "occurred_at": "2026-11-03T16:00:00+08:00",
         "step": "受理", "person": "李四"},
        {"event_id": "e2", "kind": "accepted", "case": "XK-2026-0001", "occurred_at": "2026-11-02T10:00:00+08:00"},
        {"event_id": "e4", "kind": "suspended", "case": "XK-2026-0001", "occurred_at": "2026-11-04T09:00:00+08:00",
         "ground": "补正"},
        received(power),
        {"event_id": "e2b", "kind": "step_started", "case": "XK-2026-0001", "occurred_at": "2026-11-02T11:00:00+08:00",
         "step": "受理", "person": "李四"},
    ]
    response = client_for(system).post(URL, {"events": events}, format="json")
    assert response.status_code == 200, response.json()
    case = Case.objects.get(number="XK-2026-0001")
    # Ordered by occurred_at: received, accepted, step started, step finished, suspended.
    assert [e.event_id for e in case.events.order_by("occurred_at")] == ["r1", "e2", "e2b", "e3", "e4"]
    assert case.state == CaseState.SUSPENDED
    assert case.current_step_name == ""
    assert list(Suspension.objects.filter(case=case).values_list("ground", "ended_on")) == [("补正", None)]
    # The response lists the events in the order sent.
    assert [e["event_id"] for e in response.json()["events"]] == ["e3", "e2", "e4", "r1", "e2b"]


def test_late_event_arriving_after_later_ones_is_placed_by_its_time(power, system):
    client = client_for(system)
    client.post(URL, {"events": [received(power), {"event_id": "d", "kind": "decided", "case": "XK-2026-0001",
                                                   "occurred_at": "2026-11-10T09:00:00+08:00"}]}, format="json")
    late = {"event_id": "a", "kind": "accepted", "case": "XK-2026-0001", "occurred_at": "2026-11-03T09:00:00+08:00"}
    assert client.post(URL, late, format="json").status_code == 200
    case = Case.objects.get()
    assert case.state == CaseState.DECIDED  # the accepted event comes before the decision
    assert case.accepted_at.date().isoformat() == "2026-11-03"


def test_replay_changes_nothing_and_answers_the_same(power, system):
    client = client_for(system)
    batch = {"events": [received(power), {"event_id": "e2", "kind": "accepted", "case": "XK-2026-0001",
                                          "occurred_at": "2026-11-02T10:00:00+08:00"}]}
    first = client.post(URL, batch, format="json")
    counts = (CaseEvent.objects.count(), Case.objects.count(), Alert.objects.count(), ReviewLogEntry.objects.count())
    updated = Case.objects.get().updated_at
    second = client.post(URL, batch, format="json")
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert (CaseEvent.objects.count(), Case.objects.count(), Alert.objects.count(),
            ReviewLogEntry.objects.count()) == counts
    # Received 2026-11-02: past both limits on any day from 2026-12-01 on, so the first
    # push raised a yellow and a red card, each recorded once; the replay added nothing.
    assert counts == (2, 1, 2, 2)
    assert Case.objects.get().updated_at == updated


def test_same_event_id_with_other_content_is_refused(power, system):
    client = client_for(system)
    client.post(URL, received(power), format="json")
    changed = received(power, when="2026-11-05T09:00:00+08:00")
    response = client.post(URL, changed, format="json")
    assert response.status_code == 400
    assert "event_id" in response.json()


def test_bad_event_names_the_field_and_saves_nothing(power, system):
    events = [
        received(power),
        {"event_id": "e2", "kind": "accepted", "case": "XK-2026-0001", "occurred_at": "2026-11-02T10:00:00+08:00"},
        {"event_id": "e3", "kind": "step_started", "case": "XK-2026-0001", "occurred_at": "2026-11-02T11:00:00+08:00",
         "step": "盖章"},
    ]
    response = client_for(system).post(URL, {"events": events}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["events[2].step"]
    assert "盖章" in response.json()["events[2].step"][0]
    assert (Case.objects.count(), CaseEvent.objects.count()) == (0, 0)


@pytest.mark.parametrize("event, field", [
    ({"kind": "teleported"}, "events[1].kind"),
    ({"occurred_at": "yesterday"}, "events[1].occurred_at"),
    ({"occurred_at": "2099-01-01T00:00:00+08:00"}, "events[1].occurred_at"),
    ({"kind": "suspended", "ground": "午休"}, "events[1].ground"),
    ({"kind": "extended", "days": 0, "approver": "局长", "ground": "复杂"}, "events[1].days"),
    ({"kind": "refused"}, "events[1].reasons"),
    ({"kind": "fee_charged", "amount": "lots"}, "events[1].amount"),
    ({"case": "XK-2026-9999"}, "events[1].case"),
    ({"colour": "red"}, "events[1].colour"),
])
def test_each_faulty_field_is_named(power, system, event, field):
    bad = {"event_id": "e2", "kind": "accepted", "case": "XK-2026-0001", "occurred_at": "2026-11-02T10:00:00+08:00"}
    bad.update(event)
    response = client_for(system).post(URL, {"events": [received(power), bad]}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert CaseEvent.objects.count() == 0


def test_a_batch_over_500_is_refused(power, system):
    events = [received(power, event_id=f"r{i}", case=f"C{i}") for i in range(501)]
    response = client_for(system).post(URL, {"events": events}, format="json")
    assert response.status_code == 400
    assert "events" in response.json()


def test_system_is_scoped_to_its_department(org, power, calendar_2026):
    other = case_system(org.other_dept, code="sys-other")
    response = client_for(other).post(URL, received(power), format="json")
    assert response.status_code == 400
    assert "power" in response.json()


def test_only_a_system_token_may_push(org, power):
    client = APIClient()
    client.force_authenticate(org.clerk)
    assert client.post(URL, received(power), format="json").status_code == 403
    assert APIClient().post(URL, received(power), format="json").status_code in (401, 403)


def test_a_concurrent_write_of_the_same_case_is_a_409(power, system, monkeypatch):
    """Another push stored the same case first, after this one looked: the unique
    constraint (hit by the bulk writer's COPY, which Django does not wrap by itself) is
    a 409, and nothing of the batch is saved."""
    monkeypatch.setattr(Case.objects, "select_for_update", lambda **kw: Case.objects.none())
    first = Case.objects.create(region_id=power.region_id, department_id=power.department_id, power=power,
                                number="XK-2026-0001", received_at="2026-11-02T09:00:00+08:00")
    response = client_for(system).post(URL, received(power), format="json")
    assert response.status_code == 409
    assert list(Case.objects.all()) == [first]
    assert CaseEvent.objects.count() == 0


def test_a_concurrent_push_of_the_same_event_id_is_a_409(power, system, monkeypatch):
    """The idempotency key's unique index holds a race: a push that did not see the key
    another push has just stored gets a 409 and saves nothing."""
    from supervision.services import intake

    accepted = {"event_id": "a1", "kind": "accepted", "case": "XK-2026-0001",
                "occurred_at": "2026-11-02T10:00:00+08:00"}
    response = client_for(system).post(URL, {"events": [received(power), accepted]}, format="json")
    assert response.status_code == 200
    monkeypatch.setattr(intake, "_stored_events", lambda system, event_ids: {})
    response = client_for(system).post(URL, {"events": [received(power, event_id="r2", case="XK-2026-0002"),
                                                        accepted]}, format="json")
    assert response.status_code == 409
    assert list(Case.objects.values_list("number", flat=True)) == ["XK-2026-0001"]
    assert CaseEvent.objects.count() == 2


FIELD_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=80),
                         st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5),
                                                                                   max_size=3))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=st.fixed_dictionaries({}, optional={
    name: FIELD_VALUES for name in ("event_id", "kind", "case", "occurred_at", "power", "applicant", "online", "person",
                                    "step", "reasons", "ground", "days", "approver", "measure", "amount", "extra")
}), kind=st.sampled_from(["received", "refused", "step_started", "suspended", "extended", "decided", "fee_charged"]))
def test_fuzzed_events_never_answer_5xx(power, system, event, kind):
    event.setdefault("kind", kind)
    response = client_for(system).post(URL, {"events": [received(power, case="FUZZ"), event]}, format="json")
    assert response.status_code in (200, 400), response.content[:300]


def test_case_is_pinned_to_the_publication_in_force_at_receipt(org, power, system):
    publication_create(user=org.dept_reviewer, department=org.dept, note="首次公开")
    client_for(system).post(URL, received(power), format="json")
    case = Case.objects.get()
    assert case.published_power.publication.number == 1
    assert (case.power_revision_id, case.flowchart_revision_id) == (power.in_force_id, power.flowchart.in_force_id)
    publication_create(user=org.dept_reviewer, department=org.dept, note="再次公开")
    case.refresh_from_db()
    assert case.published_power.publication.number == 1  # later publications do not move it
    page = Client()
    page.force_login(org.clerk)
    assert case.published_power.get_version_url() in page.get(case.get_absolute_url()).content.decode()


def _cases_batch(power, prefix, n):
    """n cases of four events each: received, accepted, a step started and finished."""
    events = []
    for i in range(n):
        case = f"{prefix}-{i}"
        events += [received(power, event_id=f"{case}-r", case=case),
                   {"event_id": f"{case}-a", "kind": "accepted", "case": case,
                    "occurred_at": "2026-11-02T10:00:00+08:00"},
                   {"event_id": f"{case}-s", "kind": "step_started", "case": case,
                    "occurred_at": "2026-11-02T11:00:00+08:00", "step": "受理", "person": "李四"},
                   {"event_id": f"{case}-f", "kind": "step_finished", "case": case,
                    "occurred_at": "2026-11-03T11:00:00+08:00", "step": "受理", "person": "李四"}]
    return events


def _statements(ctx):
    """The captured queries; on SQLite an INSERT split in batches counts once: SQLite binds
    at most 999 parameters a statement, so Django splits a bulk insert of many alerts or
    record entries into several INSERTs. PostgreSQL (CI) takes each in one and counts every
    statement, so a row-by-row insert still turns the test red there."""
    if ctx.connection.vendor != "sqlite":
        return len(ctx)
    shapes = []
    for query in ctx.captured_queries:
        sql = query["sql"]
        shape = sql.split(" VALUES ")[0] if sql.startswith("INSERT INTO") else None
        if shape is None or not shapes or shapes[-1] != shape:
            shapes.append(shape or sql)
    return len(shapes)


def test_a_batch_costs_the_same_queries_and_calendar_reads_whatever_its_size(power, system, monkeypatch):
    """One case or fifty, new or already received: the batch's queries and its reads of
    the shared calendar token (a cache round trip each) do not grow with its size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from supervision import clock

    reads = []
    real_get = clock.cache.get
    monkeypatch.setattr(clock.cache, "get", lambda key, *a, **kw: (reads.append(key), real_get(key, *a, **kw))[1])
    client = client_for(system)
    # A first push warms what a process loads once (the calendar's years, the token's user).
    assert client.post(URL, {"events": _cases_batch(power, "W", 1)}, format="json").status_code == 200
    counts = {}
    for label, events in (("one", _cases_batch(power, "A", 1)), ("fifty", _cases_batch(power, "B", 50))):
        reads.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(URL, {"events": events}, format="json")
        assert response.status_code == 200, response.json()
        counts[label] = (_statements(ctx), reads.count(clock.GENERATION_KEY))
    # Events for the fifty cases already received: their stored events are read, one query.
    later = [{"event_id": f"B-{i}-d", "kind": "decided", "case": f"B-{i}", "occurred_at": "2026-11-04T10:00:00+08:00"}
             for i in range(50)]
    reads.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(URL, {"events": later[:1]}, format="json").status_code == 200
    counts["existing one"] = (_statements(ctx), reads.count(clock.GENERATION_KEY))
    reads.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(URL, {"events": later[1:]}, format="json").status_code == 200
    counts["existing 49"] = (_statements(ctx), reads.count(clock.GENERATION_KEY))
    assert counts["one"] == counts["fifty"]
    assert counts["existing one"] == counts["existing 49"]
    assert {reads for _queries, reads in counts.values()} == {1}
    assert Case.objects.count() == 52
    assert CaseEvent.objects.count() == 4 * 52 + 50
