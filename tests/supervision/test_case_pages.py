"""A clerk records a case by hand and adds its events; alerts are handled on their page."""

import pytest

from supervision.alert_flow import AlertState
from supervision.models import Alert, AlertRule, Case, CaseEvent
from tests.supervision.factories import confirmed_power

pytestmark = pytest.mark.django_db


@pytest.fixture
def power(org, calendar_2026):
    return confirmed_power(org.dept)


def test_clerk_records_a_case_and_its_events_by_hand(client, org, power):
    client.force_login(org.clerk)
    response = client.post("/supervision/cases/new/", {
        "power": power.pk, "number": "HAND-1", "received_at": "2026-11-02T09:00", "applicant_name": "李四",
        "online": "on",
    })
    case = Case.objects.get(number="HAND-1")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert (case.source, case.power_revision_id, case.department_id) == ("manual", power.in_force_id, org.dept.pk)
    response = client.post(case.get_absolute_url(), {"kind": "step_started", "occurred_at": "2026-11-02T10:00",
                                                      "step": "受理", "person": "李四"})
    assert response.status_code == 302
    assert CaseEvent.objects.get(case=case, kind="step_started").step_name == "受理"
    assert CaseEvent.objects.get(case=case, kind="received").recorded_by == org.clerk


def test_a_step_not_in_the_flowchart_is_shown_on_the_form(client, org, power):
    client.force_login(org.clerk)
    client.post("/supervision/cases/new/", {"power": power.pk, "number": "HAND-1", "received_at": "2026-11-02T09:00"})
    case = Case.objects.get()
    response = client.post(case.get_absolute_url(), {"kind": "step_started", "occurred_at": "2026-11-02T10:00",
                                                      "step": "盖章"})
    assert response.status_code == 200
    assert "“盖章”不是该事项现行流程图中的环节。" in response.content.decode()
    assert list(CaseEvent.objects.values_list("kind", flat=True)) == ["received"]


def test_number_taken_in_the_department_is_refused(client, org, power):
    client.force_login(org.clerk)
    data = {"power": power.pk, "number": "HAND-1", "received_at": "2026-11-02T09:00"}
    client.post("/supervision/cases/new/", data)
    response = client.post("/supervision/cases/new/", data)
    assert response.status_code == 200 and "办件“HAND-1”已收件。" in response.content.decode()


def test_supervisor_may_not_record_cases(client, org, power):
    client.force_login(org.supervisor)
    assert client.get("/supervision/cases/new/").status_code == 403


def test_alert_explained_and_closed_on_its_page(client, org, power):
    client.force_login(org.clerk)
    client.post("/supervision/cases/new/", {"power": power.pk, "number": "HAND-1", "received_at": "2026-11-02T09:00"})
    alert = Alert.objects.get(rule=AlertRule.NOT_ONLINE)
    page = client.get(alert.get_absolute_url()).content.decode()
    assert "情况说明" in page
    client.post(f"/review/supervision.alert/{alert.pk}/explain/", {"version": alert.version, "comment": "系统故障,线下受理"})
    alert.refresh_from_db()
    assert alert.state == AlertState.EXPLAINED
    client.force_login(org.supervisor)
    client.post(f"/review/supervision.alert/{alert.pk}/close/", {"version": alert.version, "comment": ""})
    alert.refresh_from_db()
    assert alert.state == AlertState.CLOSED
    page = client.get(alert.get_absolute_url()).content.decode()
    assert "系统故障,线下受理" in page and "审核办结" in page


def test_clerk_workspace_points_to_alerts_waiting_for_explanation(client, org, power):
    client.force_login(org.clerk)
    assert "待说明的预警" not in client.get("/workspace/clerk/").content.decode()
    client.post("/supervision/cases/new/", {"power": power.pk, "number": "HAND-1", "received_at": "2026-11-02T09:00"})
    page = client.get("/workspace/clerk/").content.decode()
    # Not online, and (from 2026-12-01 on) past both limits of a case received 11-02: three.
    assert "本部门有 3 条电子监察预警等待情况说明。" in page and "/supervision/alerts/" in page
    client.force_login(org.other_clerk)
    assert "待说明的预警" not in client.get("/workspace/clerk/").content.decode()
