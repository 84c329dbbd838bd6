"""The board's rollup (BoardFact): the same figures as the live aggregates for every
scope, read while fresh, the live aggregates otherwise; constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from supervision.models import BoardFact
from supervision.selectors.cases import board_from_rollup, board_live
from supervision.services.board import board_rollup_refresh
from tests.supervision.factories import case_system, confirmed_power, push
from tests.supervision.test_scope_and_pages import TODAY, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
KEYS = ("by_region", "by_department", "by_power", "by_post", "figures", "months", "alert_trend", "on_time_trend")


def test_the_rollup_gives_the_live_figures_in_every_scope(org, world):  # noqa: F811
    # One more case, decided late, so the on-time figures and trends are not all zero.
    power = confirmed_power(org.dept)
    push(case_system(org.dept, code="late"), [
        ("received", "2026-11-02 09:00", {"power": power.code, "case": "LATE-1"}),
        ("accepted", "2026-11-02 10:00", {"case": "LATE-1"}),
        ("decided", "2026-11-30 10:00", {"case": "LATE-1"})], today=TODAY)
    assert board_rollup_refresh(today=TODAY) == BoardFact.objects.count() > 0
    for user in (org.admin, world.province_supervisor, world.city_supervisor, world.dalian_supervisor):
        live = board_live(user=user, today=TODAY)
        rolled = board_from_rollup(user=user, today=TODAY)
        assert {k: rolled[k] for k in KEYS} == {k: live[k] for k in KEYS}, user.username
        assert [c.pk for c in rolled["overdue"]] == [c.pk for c in live["overdue"]]
    province = board_from_rollup(user=world.province_supervisor, today=TODAY)
    # PROV-1, SY-1, DL-1 open past both limits, LATE-1 decided after its promised limit.
    assert province["figures"] == {"decided": 1, "on_time": 0, "open": 3, "suspended": 0, "open_overdue": 3,
                                   "on_time_rate": 0.0}
    city = board_from_rollup(user=world.city_supervisor, today=TODAY)
    assert [r["label"] for r in city["by_region"]] == ["沈阳市"]
    assert city["figures"]["open_overdue"] == 1


def test_the_board_page_reads_a_fresh_rollup_and_not_a_stale_one(client, world):  # noqa: F811
    client.force_login(world.province_supervisor)
    assert client.get("/supervision/").context["as_of"] is None  # no rollup yet: live
    board_rollup_refresh()
    response = client.get("/supervision/")
    assert response.context["as_of"] is not None
    assert b'id="board-as-of"' in response.content
    assert response.context["figures"]["open_overdue"] == 3
    BoardFact.objects.update(computed_at=timezone.now() - datetime.timedelta(minutes=16))
    assert client.get("/supervision/").context["as_of"] is None


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/supervision/").status_code == 200
    return len(ctx)


def test_the_board_from_the_rollup_has_a_constant_number_of_queries(client, org, world):  # noqa: F811
    client.force_login(org.supervisor)
    board_rollup_refresh()
    small = _count(client)
    power = confirmed_power(org.dept)
    push(case_system(org.dept, code="more"),
         [("received", "2026-11-02 09:00", {"power": power.code, "case": f"MORE-{i}"}) for i in range(12)],
         today=TODAY)
    board_rollup_refresh()
    assert _count(client) == small <= 16


def test_the_beat_rebuilds_the_rollup_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["supervision-board-rollup"]
    assert entry["task"] == "supervision.refresh_board_rollup"
    assert entry["schedule"].minute == set(range(0, 60, 5))


def test_the_lists_take_their_counts_from_a_fresh_rollup(client, org, world):  # noqa: F811
    client.force_login(world.province_supervisor)
    live = client.get("/supervision/cases/").context["page"].paginator
    assert type(live).__name__ == "Paginator" and live.count == 3
    board_rollup_refresh()
    counted = client.get("/supervision/cases/").context["page"].paginator
    assert type(counted).__name__ == "CountedPaginator" and counted.count == 3
    assert client.get("/supervision/cases/?state=received").context["page"].paginator.count == 3
    assert client.get("/supervision/cases/?state=decided").context["page"].paginator.count == 0
    client.force_login(world.city_supervisor)
    assert client.get("/supervision/cases/").context["page"].paginator.count == 1
    alerts = client.get("/supervision/alerts/").context["page"]
    assert alerts.paginator.count == len(alerts.object_list) == 2  # SY-1's yellow and red cards
    # All alerts, closed ones included, are counted live.
    assert type(client.get("/supervision/alerts/?all=1").context["page"].paginator).__name__ == "Paginator"
