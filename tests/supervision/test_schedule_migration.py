"""Migration 0009: the scan's bookkeeping moves from the case row to CaseSchedule and back."""

import datetime
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from supervision.models import CaseSchedule
from tests.supervision.factories import case_system, confirmed_power, push

BEFORE = ("supervision", "0008_case_time_checks_board_facts")


def _migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


@pytest.mark.django_db(transaction=True)
def test_the_schedule_is_copied_back_to_the_case_columns_and_forward_again(org, calendar_2026):
    system, power = case_system(org.dept), confirmed_power(org.dept)
    # Received and accepted Mon 2026-11-02: promised due 11-16, statutory 11-30 (test_alert_rules).
    push(system, [("received", "2026-11-02 09:00", {"power": power.code}), ("accepted", "2026-11-02 10:00")],
         today=datetime.date(2026, 11, 2))
    push(system, [("received", "2026-11-02 09:00", {"power": power.code, "case": "C2"}),
                  ("accepted", "2026-11-02 10:00", {"case": "C2"}), ("decided", "2026-11-05 10:00", {"case": "C2"})],
         today=datetime.date(2026, 11, 5))
    planned = [("promised_soon", "2026-11-13"), ("promised_over", "2026-11-17"), ("statutory_over", "2026-12-01")]
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT number, next_check_on, time_checks FROM supervision_case ORDER BY number")
            rows = cursor.fetchall()
        assert [(n, str(day) if day else None) for n, day, _checks in rows] == [("C1", "2026-11-13"), ("C2", None)]
        assert [(c["rule"], c["from"]) for c in _json(rows[0][2])] == planned
        assert _json(rows[1][2]) == []
    finally:
        _migrate(*leaves)
    schedules = {s.case.number: s for s in CaseSchedule.objects.select_related("case")}
    assert sorted(schedules) == ["C1", "C2"]
    assert schedules["C1"].next_check_on == datetime.date(2026, 11, 13)
    assert [(c["rule"], c["from"]) for c in schedules["C1"].time_checks] == planned
    assert (schedules["C2"].next_check_on, schedules["C2"].time_checks) == (None, [])
