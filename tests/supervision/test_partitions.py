"""The event table partitioned by month on PostgreSQL (supervision.partitions): events land
in their month's partition (or the default one), the idempotency key holds across
partitions, out-of-order intake still orders by time. SQLite keeps the plain table."""

import datetime

import pytest
from django.db import connection
from rest_framework.test import APIClient

from supervision.models import Case, CaseEvent, CaseEventKey
from supervision.partitions import (
    DEFAULT_PARTITION, add_months, event_partitions, event_partitions_ensure, month_bounds, partition_of_event,
)
from tests.supervision.factories import case_system, confirmed_power

pytestmark = pytest.mark.django_db
URL = "/api/v1/supervision/events/"
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def power(org, calendar_2026):
    return confirmed_power(org.dept)


@pytest.fixture
def client(org):
    system = case_system(org.dept)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {system.token}")
    return api


def received(power, when, *, event_id="r1", case="XK-1"):
    return {"event_id": event_id, "kind": "received", "case": case, "occurred_at": when, "power": power.code}


def partition(event_id):
    return partition_of_event(CaseEvent.objects.get(event_id=event_id).pk)


def test_month_arithmetic_and_bounds_are_local_months():
    assert add_months(datetime.date(2026, 11, 1), 3) == datetime.date(2027, 2, 1)
    assert add_months(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 12, 1)
    low, high = month_bounds(datetime.date(2026, 12, 1))
    # Asia/Shanghai: the month starts at 16:00 UTC on the last day of the month before.
    assert low.isoformat() == "2026-12-01T00:00:00+08:00"
    assert high.isoformat() == "2027-01-01T00:00:00+08:00"


def test_events_land_in_their_months_partition(power, client):
    created = event_partitions_ensure(since=datetime.date(2026, 10, 1), months_ahead=0)
    events = [received(power, "2026-10-30T23:59:00+08:00"),
              {"event_id": "a1", "kind": "accepted", "case": "XK-1", "occurred_at": "2026-11-01T00:00:00+08:00"},
              {"event_id": "d1", "kind": "decided", "case": "XK-1", "occurred_at": "2026-11-30T23:00:00+08:00"}]
    assert client.post(URL, {"events": events}, format="json").status_code == 200
    if not POSTGRES:
        assert (created, event_partitions(), partition("r1")) == ([], [], "")
        return
    assert "supervision_caseevent_y2026m10" in created and "supervision_caseevent_y2026m11" in created
    # Midnight local time on 1 November belongs to November, a minute before to October.
    assert partition("r1") == "supervision_caseevent_y2026m10"
    assert partition("a1") == "supervision_caseevent_y2026m11"
    assert partition("d1") == "supervision_caseevent_y2026m11"


def test_an_event_outside_every_month_goes_to_the_default_and_moves_when_its_month_is_made(power, client):
    if not POSTGRES:
        assert event_partitions_ensure(since=datetime.date(2025, 3, 1)) == []
        return
    assert "supervision_caseevent_y2025m03" not in event_partitions()
    assert client.post(URL, received(power, "2025-03-10T09:00:00+08:00"), format="json").status_code == 200
    assert partition("r1") == DEFAULT_PARTITION
    assert event_partitions_ensure(since=datetime.date(2025, 3, 1), through=datetime.date(2025, 3, 1),
                                   months_ahead=0) == ["supervision_caseevent_y2025m03"]
    assert partition("r1") == "supervision_caseevent_y2025m03"
    assert CaseEvent.objects.count() == 1
    # Creating again is a no-op.
    assert event_partitions_ensure(since=datetime.date(2025, 3, 1), through=datetime.date(2025, 3, 1),
                                   months_ahead=0) == []


def test_a_replay_with_a_changed_time_is_a_400_not_a_second_row(power, client):
    event_partitions_ensure(since=datetime.date(2026, 10, 1), months_ahead=0)
    first = client.post(URL, received(power, "2026-11-02T09:00:00+08:00"), format="json")
    assert first.status_code == 200
    # The same id, moved to another month (another partition): refused, nothing stored.
    moved = client.post(URL, received(power, "2026-10-15T09:00:00+08:00"), format="json")
    assert moved.status_code == 400
    assert "event_id" in moved.json()
    assert (CaseEvent.objects.count(), CaseEventKey.objects.count()) == (1, 1)
    # The identical replay answers as the first push did.
    again = client.post(URL, received(power, "2026-11-02T09:00:00+08:00"), format="json")
    assert (again.status_code, again.json()) == (200, first.json())
    assert CaseEvent.objects.count() == 1


def test_the_key_table_holds_the_stored_events_place(power, client):
    assert client.post(URL, received(power, "2026-11-02T09:00:00+08:00"), format="json").status_code == 200
    key = CaseEventKey.objects.get()
    event = CaseEvent.objects.get()
    assert (key.event_id, key.event_pk, key.occurred_at, key.digest, key.case_id) == (
        "r1", event.pk, event.occurred_at, event.digest, event.case_id)


def test_out_of_order_intake_across_months_is_ordered_by_time(power, client):
    event_partitions_ensure(since=datetime.date(2026, 9, 1), months_ahead=0)
    late_first = {"event_id": "d1", "kind": "decided", "case": "XK-1", "occurred_at": "2026-11-03T09:00:00+08:00"}
    accepted = {"event_id": "a1", "kind": "accepted", "case": "XK-1", "occurred_at": "2026-10-09T09:00:00+08:00"}
    assert client.post(URL, {"events": [late_first, received(power, "2026-09-28T09:00:00+08:00")]},
                       format="json").status_code == 200
    assert client.post(URL, accepted, format="json").status_code == 200
    case = Case.objects.get()
    assert [e.event_id for e in case.events.order_by("occurred_at", "id")] == ["r1", "a1", "d1"]
    assert case.state == "decided"
    assert case.accepted_at.date() == datetime.date(2026, 10, 9)


def test_the_scan_finds_due_cases_by_the_partial_index_of_the_narrow_schedule_table():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "supervision_caseschedule")
        case_constraints = connection.introspection.get_constraints(cursor, "supervision_case")
    assert constraints["case_schedule_next_check_idx"]["columns"] == ["next_check_on", "case_id"]
    assert "case_open_next_check_idx" not in case_constraints
    if not POSTGRES:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('case_schedule_next_check_idx'::regclass)")
        definition = cursor.fetchone()[0]
        assert "WHERE (next_check_on IS NOT NULL)" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")
        # (The scan joins the case for its state; at volume bench/supervision.py prints that plan.)
        cursor.execute("EXPLAIN SELECT case_id FROM supervision_caseschedule "
                       "WHERE next_check_on <= CURRENT_DATE ORDER BY next_check_on, case_id")
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "case_schedule_next_check_idx" in plan
