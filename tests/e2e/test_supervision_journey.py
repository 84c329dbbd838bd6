"""Issue 12 in a real browser: a department's approval system pushes a case's events
late, a yellow card appears on the supervisors' board, the responsible clerk explains
it and the supervisor closes it (each step through the flow engine)."""

import datetime
import json
import urllib.request

import pytest
from django.utils import timezone

from supervision.alert_flow import AlertState
from supervision.clock import calendar_cache_invalidate
from supervision.models import Alert, AlertKind, AlertRule
from supervision.services.calendar import calendar_seed_from_library
from tests.e2e.conftest import assert_accessible, login, press, switch_user
from tests.supervision.factories import case_system, confirmed_power

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
EXPLANATION = "受理岗人员病假,材料交接延误,已调整排班。"


def push(live_server, token, events):
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/supervision/events/", data=json.dumps({"events": events}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200


def ago(days):
    return (timezone.now() - datetime.timedelta(days=days)).isoformat()


def test_late_events_yellow_card_explained_and_closed(org, page, live_server):
    calendar_seed_from_library()
    calendar_cache_invalidate()
    power = confirmed_power(org.dept)
    system = case_system(org.dept)
    # 受理 has one working day; the system reports two weeks later that it took five.
    push(live_server, system.token, [
        {"event_id": "1", "kind": "received", "case": "XK-LATE-1", "power": power.code, "occurred_at": ago(20)},
        {"event_id": "2", "kind": "accepted", "case": "XK-LATE-1", "occurred_at": ago(20)},
        {"event_id": "3", "kind": "step_started", "case": "XK-LATE-1", "occurred_at": ago(20), "step": "受理",
         "person": "孙受理"},
        {"event_id": "4", "kind": "step_finished", "case": "XK-LATE-1", "occurred_at": ago(13), "step": "受理",
         "person": "孙受理"},
    ])
    alert = Alert.objects.get(rule=AlertRule.STEP_OVER)
    assert alert.kind == AlertKind.YELLOW

    login(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/supervision/")
    board = page.get_by_role("main")
    assert board.locator("svg").count() >= 2
    assert board.get_by_role("row").filter(has_text="受理岗").count() == 1
    assert_accessible(page)

    switch_user(page, live_server, "clerk")
    page.goto(f"{live_server.url}/supervision/alerts/")
    page.get_by_role("link", name="黄牌 环节超时").click()
    assert "孙受理" in page.inner_text("main") and "受理岗" in page.inner_text("main")
    page.fill("#review-comment", EXPLANATION)
    press(page, "情况说明")
    alert.refresh_from_db()
    assert alert.state == AlertState.EXPLAINED

    switch_user(page, live_server, "supervisor")
    page.goto(f"{live_server.url}{alert.get_absolute_url()}")
    assert EXPLANATION in page.inner_text("main")
    press(page, "审核办结")
    alert.refresh_from_db()
    assert alert.state == AlertState.CLOSED
    assert page.inner_text("#alert-state").startswith("已办结")
