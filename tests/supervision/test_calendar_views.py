"""The calendar pages: who may open them, hand entry of 2027 with errors by line, queries."""

import datetime

import pytest
from django.urls import reverse

from supervision import clock
from supervision.models import CalendarYear
from supervision.services import calendar_seed_from_library, calendar_year_create

D = datetime.date
pytestmark = pytest.mark.django_db
LIST = "/supervision/calendar/"


def test_urls():
    assert reverse("supervision:calendar_list") == LIST
    assert reverse("supervision:calendar_year", args=[2027]) == "/supervision/calendar/2027/"


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={LIST}"


@pytest.mark.parametrize("who", ["clerk", "dept_reviewer", "office_reviewer", "supervisor", "expert"])
def test_other_roles_get_403_with_the_reason(client, org, who):
    client.force_login(getattr(org, who))
    for url in (LIST, "/supervision/calendar/2026/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "工作日日历只能由“系统管理员”录入和修改" in response.content.decode()


@pytest.mark.parametrize("who", ["calendar_admin", "superuser"])
def test_administrators_open_the_page(client, org, calendar_admin, who):
    client.force_login(calendar_admin if who == "calendar_admin" else org.admin)
    assert client.get(LIST).status_code == 200


def test_list_queries_do_not_grow_with_years(client, calendar_admin, django_assert_max_num_queries):
    client.force_login(calendar_admin)
    calendar_seed_from_library(years=[2026])
    with django_assert_max_num_queries(8) as few:
        client.get(LIST)
    calendar_seed_from_library()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(LIST).content.decode()
    assert 'id="year-2004"' in page and 'id="year-2026"' in page


def test_create_2027_from_the_list(client, calendar_admin):
    client.force_login(calendar_admin)
    response = client.post(LIST, {"year": "2027"})
    assert response.status_code == 302 and response["Location"] == "/supervision/calendar/2027/"
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.is_complete, year.entered_by) == (CalendarYear.Source.MANUAL, False, calendar_admin)
    again = client.post(LIST, {"year": "2027"})
    assert again.status_code == 200 and "2027 年度已存在" in again.content.decode()


def test_hand_entry_shows_errors_by_line_and_saves_nothing(client, calendar_admin):
    calendar_year_create(user=calendar_admin, year=2027)
    client.force_login(calendar_admin)
    response = client.post("/supervision/calendar/2027/", {
        "notice_number": "国办发明电〔2026〕9号", "notice_date": "2026-11-10", "is_complete": "on",
        "days": "2027-01-01 元旦 休\n2027-02-06..2027-02-12 春节 放\n2027-02-15 班\n",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 2 行“2027-02-06..2027-02-12 春节 放”:行末须是“休”“调休”或“班”,而不是“放”。" in page
    assert "第 3 行“2027-02-15 班”:2027-02-15 本来就是工作日" in page
    year = CalendarYear.objects.get(year=2027)
    assert (year.version, year.is_complete, year.days.count()) == (1, False, 0)


def test_hand_entry_of_2027_moves_the_due_date(client, calendar_admin):
    calendar_seed_from_library(years=[2026])
    assert clock.due_date(D(2026, 12, 15), 20) == (D(2027, 1, 12), True, (2027,))
    calendar_year_create(user=calendar_admin, year=2027)
    client.force_login(calendar_admin)
    response = client.post("/supervision/calendar/2027/", {
        "notice_number": "国办发明电〔2026〕9号", "notice_date": "2026-11-10", "is_complete": "on",
        "days": "2027-01-01 元旦 休\n2027-02-06..2027-02-12 春节 休\n2027-02-14 班\n",
    }, follow=True)
    page = response.content.decode()
    assert "已保存:2027 年度:新增 7 天" in page
    assert "2027-02-08..2027-02-12 春节 休" in page  # the form shows what is stored, as lines
    assert clock.due_date(D(2026, 12, 15), 20) == (D(2027, 1, 13), False, ())


def test_complete_without_notice_number_is_a_field_error(client, calendar_admin):
    calendar_year_create(user=calendar_admin, year=2027)
    client.force_login(calendar_admin)
    response = client.post("/supervision/calendar/2027/", {"is_complete": "on", "days": "2027-01-01 元旦 休"})
    assert response.status_code == 200
    assert "请填写国务院办公厅放假通知的文号" in response.content.decode()


def test_unknown_year_page_is_404(client, calendar_admin):
    client.force_login(calendar_admin)
    assert client.get("/supervision/calendar/2031/").status_code == 404
