"""Who sees which cases and alerts (a region and those below, never more), the masked
applicant, and pages at a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from powerlist.org.roles import Role
from supervision.models import Alert, Case
from tests.powerlist.factories import CityFactory, DepartmentFactory, OfficeFactory, make_user
from tests.supervision.factories import case_system, confirmed_power, push

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def world(org, calendar_2026):
    """Late cases in the province, in 沈阳 (org.city) and in 大连, with a supervisor for each."""
    dalian = CityFactory(parent=org.province, code="210200", name="大连市")
    dalian_dept = DepartmentFactory(region=dalian, name="大连市发展改革委")
    dalian_office = OfficeFactory(region=dalian, name="大连市纪委监委")
    for department, code, number in ((org.dept, "p", "PROV-1"), (org.city_dept, "c", "SY-1"),
                                     (dalian_dept, "d", "DL-1")):
        power = confirmed_power(department)
        push(case_system(department, code=code),
             [("received", "2026-11-02 09:00", {"power": power.code, "case": number,
                                                 "applicant": {"name": "张三丰", "id_number": "210102199001011234",
                                                               "phone": "13800001111"}})],
             today=TODAY)

    class World:
        pass

    w = World()
    w.province_supervisor = org.supervisor
    w.city_supervisor = make_user(Role.SUPERVISOR, org.city_office, username="sy_supervisor")
    w.dalian_supervisor = make_user(Role.SUPERVISOR, dalian_office, username="dl_supervisor")
    return w


def visible(client, user):
    client.force_login(user)
    response = client.get("/supervision/cases/")
    assert response.status_code == 200
    return sorted(c.number for c in response.context["cases"])


def test_province_supervisor_sees_the_cities(client, world):
    assert visible(client, world.province_supervisor) == ["DL-1", "PROV-1", "SY-1"]


def test_city_supervisor_sees_neither_the_province_nor_another_city(client, world):
    assert visible(client, world.city_supervisor) == ["SY-1"]
    assert visible(client, world.dalian_supervisor) == ["DL-1"]


def test_clerk_sees_the_own_department_only(client, org, world):
    assert visible(client, org.clerk) == ["PROV-1"]


@pytest.mark.parametrize("who, number, status", [
    ("city_supervisor", "PROV-1", 404), ("city_supervisor", "DL-1", 404), ("city_supervisor", "SY-1", 200),
    ("province_supervisor", "DL-1", 200),
])
def test_case_page_outside_the_scope_is_404(client, world, who, number, status):
    client.force_login(getattr(world, who))
    assert client.get(Case.objects.get(number=number).get_absolute_url()).status_code == status


def test_board_counts_only_the_scope(client, world):
    client.force_login(world.city_supervisor)
    response = client.get("/supervision/")
    assert response.status_code == 200
    # SY-1: received 11-02, past its promised and statutory limits on 12-01.
    assert response.context["figures"]["open_overdue"] == 1
    assert [r["label"] for r in response.context["by_region"]] == ["沈阳市"]
    main = response.content.split(b"<main")[1].split(b"</main>")[0]
    assert b"<svg" in main and b"<script" not in main


def test_board_is_for_supervisors(client, org, world):
    client.force_login(org.clerk)
    assert client.get("/supervision/").status_code == 403


def test_applicant_is_masked_outside_the_handling_department(client, org, world):
    url = Case.objects.get(number="PROV-1").get_absolute_url()
    client.force_login(world.province_supervisor)
    page = client.get(url).content.decode()
    assert "张**" in page and "210102********1234" in page and "138****1111" in page
    assert "张三丰" not in page and "210102199001011234" not in page
    client.force_login(org.clerk)
    page = client.get(url).content.decode()
    assert "张三丰" in page and "13800001111" in page


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_board_and_case_list_queries_do_not_grow(client, org, world):
    client.force_login(org.supervisor)
    small = {url: _count(client, url) for url in ("/supervision/", "/supervision/cases/", "/supervision/alerts/")}
    power = confirmed_power(org.dept)
    system = case_system(org.dept, code="more")
    # Not handled online and past both limits by TODAY: three alerts each, so the alert list grows too.
    push(system, [("received", "2026-11-02 09:00", {"power": power.code, "case": f"MORE-{i}", "online": False})
                  for i in range(12)], today=TODAY)
    assert Alert.objects.filter(case__number__startswith="MORE-").count() == 36  # not online, yellow, red
    large = {url: _count(client, url) for url in small}
    assert large == small
    assert max(large.values()) <= 20


def test_supervisor_workspace_panel_shows_what_is_overdue(client, world):
    client.force_login(world.city_supervisor)
    page = client.get("/workspace/supervision/").content.decode()
    assert "SY-1" in page and "PROV-1" not in page
    assert "暂无预警。" not in page
