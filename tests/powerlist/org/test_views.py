"""The administration pages: the accounts list (filters, scope, constant queries), the
create and account pages, the temporary password page, the workspace's links."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from powerlist.models import ReviewLogEntry
from powerlist.org.models import DepartmentUserObjectPermission, User
from powerlist.org.roles import Role
from tests.powerlist.factories import make_user


def _usernames(response):
    return [u.username for u in response.context["page"].object_list]


@pytest.mark.django_db
def test_list_is_scoped_to_the_administrator(client, admins):
    client.force_login(admins.city_admin)
    assert _usernames(client.get("/administration/users/")) == [
        "city_clerk", "city_reviewer", "city_admin", "city_establishment", "city_legal", "city_office_reviewer"]
    client.force_login(admins.dept_admin)
    assert _usernames(client.get("/administration/users/")) == ["clerk", "dept_admin"]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [
    ("q=city_re", ["city_reviewer"]),
    ("role=legal_confirmer", ["city_legal"]),
    ("active=0", ["city_clerk"]),
])
def test_list_filters(client, admins, query, expected):
    User.objects.filter(pk=admins.city_clerk.pk).update(is_active=False)
    client.force_login(admins.city_admin)
    assert _usernames(client.get(f"/administration/users/?{query}")) == expected


@pytest.mark.django_db
def test_list_filters_by_department_and_name(client, admins):
    User.objects.filter(pk=admins.city_clerk.pk).update(display_name="周晓")
    client.force_login(admins.province_admin)
    response = client.get(f"/administration/users/?department={admins.city_dept.pk}&q=周")
    assert _usernames(response) == ["city_clerk"]


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/administration/users/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_users(client, admins, django_assert_max_num_queries):
    client.force_login(admins.province_admin)
    few = _list_queries(client)
    for n in range(30):
        make_user(Role.CLERK if n % 2 else Role.DEPARTMENT_REVIEWER, admins.city_dept, username=f"extra{n:02d}")
    assert _list_queries(client) == few
    # session, user, roles, department, region, count, unread notices, the department
    # filter, the page of users, their roles
    with django_assert_max_num_queries(10):
        client.get("/administration/users/")


@pytest.mark.django_db
def test_create_page_shows_the_password_once_and_the_policy(client, admins):
    client.force_login(admins.province_admin)
    page = client.get("/administration/users/new/")
    assert "你的密码必须包含至少 10 个字符。" in page.content.decode()
    response = client.post("/administration/users/new/", {
        "username": "sunli", "display_name": "孙丽", "department": admins.dept.pk, "division": admins.division.pk,
        "email": "", "phone": "", "roles": ["clerk"]})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert f'<code id="temporary-password">{password}</code>' in response.content.decode()
    user = User.objects.get(username="sunli")
    assert user.check_password(password) and user.has_role(Role.CLERK)
    # The account page never shows it again.
    assert password not in client.get(f"/administration/users/{user.pk}/").content.decode()


@pytest.mark.django_db
def test_create_refuses_a_division_of_another_department(client, admins):
    client.force_login(admins.province_admin)
    response = client.post("/administration/users/new/", {
        "username": "sunli", "display_name": "孙丽", "department": admins.dept.pk,
        "division": admins.other_dept_division.pk})
    assert response.status_code == 200
    assert "division" in response.context["form"].errors
    assert not User.objects.filter(username="sunli").exists()


@pytest.mark.django_db
def test_refresh_offers_only_the_divisions_of_the_chosen_department(client, admins):
    client.force_login(admins.province_admin)
    response = client.post("/administration/users/new/", {"department": admins.other_dept.pk, "refresh": "1"})
    choices = [label for _value, label in response.context["form"].fields["division"].choices]
    assert choices == ["---------", "预算处"]
    options = client.get(f"/administration/users/divisions/?department={admins.dept.pk}").content.decode()
    assert "投资处" in options and "价格处" in options and "预算处" not in options
    client.force_login(admins.city_admin)
    assert "投资处" not in client.get(f"/administration/users/divisions/?department={admins.dept.pk}").content.decode()


@pytest.mark.django_db
def test_department_admin_is_offered_only_the_clerk_role(client, admins):
    client.force_login(admins.dept_admin)
    form = client.get("/administration/users/new/").context["form"]
    assert [v for v, _label in form.fields["roles"].choices] == ["clerk"]
    assert list(form.fields["department"].queryset) == [admins.dept]


@pytest.mark.django_db
def test_account_page_actions_write_the_record(client, admins):
    client.force_login(admins.province_admin)
    pk = admins.city_clerk.pk
    client.post(f"/administration/users/{pk}/roles/", {"role": "expert"})
    client.post(f"/administration/users/{pk}/roles/expert/revoke/")
    client.post(f"/administration/users/{pk}/stand-ins/",
                {"stand_in-department": admins.dept.pk, "stand_in-valid_until": ""})
    client.post(f"/administration/users/{pk}/deactivate/")
    client.post(f"/administration/users/{pk}/reactivate/")
    reset = client.post(f"/administration/users/{pk}/password/")
    assert reset.context["password"]
    page = client.get(f"/administration/users/{pk}/").content.decode()
    actions = list(ReviewLogEntry.objects.filter(object_id=pk, content_type__model="user")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["role_grant", "role_revoke", "stand_in_grant", "user_deactivate", "user_reactivate",
                       "password_reset"]
    for label in ("授予角色", "收回角色", "指定代行部门审核", "停用账号", "启用账号", "重置密码"):
        assert label in page


@pytest.mark.django_db
def test_edit_saves_through_the_service(client, admins):
    client.force_login(admins.dept_admin)
    response = client.post(f"/administration/users/{admins.clerk.pk}/", {
        "display_name": "改名", "department": admins.dept.pk, "division": admins.other_division.pk,
        "email": "a@example.gov.cn", "phone": "13800000000"})
    assert response.status_code == 302
    clerk = User.objects.get(pk=admins.clerk.pk)
    assert (clerk.display_name, clerk.division, clerk.phone) == ("改名", admins.other_division, "13800000000")


@pytest.mark.django_db
def test_administration_workspace_links_to_the_pages(client, admins):
    client.force_login(admins.province_admin)
    body = client.get("/workspace/administration/").content.decode()
    for url in ("/administration/users/", "/administration/users/new/", "/administration/users/import/"):
        assert f'href="{url}"' in body


@pytest.mark.django_db
def test_department_admin_finds_administration_on_the_workspace(client, admins):
    client.force_login(admins.dept_admin)
    body = client.get("/workspace/").content.decode()
    assert "本部门用户管理" in body and 'href="/administration/users/"' in body
    client.force_login(admins.clerk)
    assert "本部门用户管理" not in client.get("/workspace/").content.decode()


@pytest.mark.django_db
def test_an_invalid_end_date_grants_nothing(client, admins):
    client.force_login(admins.province_admin)
    pk = admins.city_clerk.pk
    response = client.post(f"/administration/users/{pk}/department-administrator/",
                           {"administrator-valid_until": "2026-13-45"}, follow=True)
    assert not DepartmentUserObjectPermission.objects.filter(user_id=pk).exists()
    assert "输入一个有效的日期。" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999999", "0"])
def test_division_options_take_only_an_id(client, admins, value):
    client.force_login(admins.province_admin)
    response = client.get(f"/administration/users/divisions/?department={value}")
    assert response.status_code == 200
    assert "<option value=\"" not in response.content.decode().replace('<option value=""', "")
