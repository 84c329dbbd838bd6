"""Who may administer whom: the predicates and the pages, role × inside/outside scope.
Expected outcomes are written out by hand."""

import pytest

from powerlist.org.permissions import can_administer_users, can_change_role, can_manage_user
from powerlist.org.roles import Role

# (actor, target, may manage?) — province admin: province and city; city admin: city only;
# department admin: 发展改革委's clerks only; superuser: everyone.
MANAGE = [
    ("province_admin", "clerk", True),
    ("province_admin", "city_clerk", True),
    ("province_admin", "office_reviewer", True),
    ("city_admin", "city_clerk", True),
    ("city_admin", "city_office_reviewer", True),
    ("city_admin", "clerk", False),
    ("city_admin", "dept_reviewer", False),
    ("dept_admin", "clerk", True),
    ("dept_admin", "dept_reviewer", False),
    ("dept_admin", "other_clerk", False),
    ("dept_admin", "city_clerk", False),
    ("admin", "city_clerk", True),
    ("province_admin", "admin", False),
    ("clerk", "other_clerk", False),
    ("office_reviewer", "clerk", False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("actor", "target", "expected"), MANAGE)
def test_can_manage_user_matrix(admins, actor, target, expected):
    decision = can_manage_user(getattr(admins, actor), getattr(admins, target))
    assert bool(decision) is expected, decision.reason


@pytest.mark.django_db
@pytest.mark.parametrize(("actor", "target", "role", "expected"), [
    ("dept_admin", "clerk", Role.CLERK, True),
    ("dept_admin", "clerk", Role.DEPARTMENT_REVIEWER, False),
    ("dept_admin", "clerk", Role.OFFICE_REVIEWER, False),
    ("dept_admin", "clerk", Role.ADMINISTRATOR, False),
    ("province_admin", "city_clerk", Role.OFFICE_REVIEWER, True),
    ("province_admin", "clerk", Role.ADMINISTRATOR, True),
    ("city_admin", "city_clerk", Role.DEPARTMENT_REVIEWER, True),
    ("city_admin", "clerk", Role.CLERK, False),
    ("province_admin", "province_admin", Role.ADMINISTRATOR, False),
])
def test_can_change_role_matrix(admins, actor, target, role, expected):
    assert bool(can_change_role(getattr(admins, actor), getattr(admins, target), role)) is expected


@pytest.mark.django_db
def test_department_admin_refused_office_role_says_why(admins):
    decision = can_change_role(admins.dept_admin, admins.clerk, Role.OFFICE_REVIEWER)
    assert decision.reason == "部门管理员只能授予或收回“经办人”角色;“领导小组办公室审核人”由系统管理员授予。"


@pytest.mark.django_db
def test_clerk_is_not_an_administrator_with_reason(admins):
    decision = can_administer_users(admins.clerk)
    assert not decision
    assert decision.reason == "用户管理仅供系统管理员和部门管理员使用,您的账号不是其中之一。"


@pytest.mark.django_db
def test_department_admin_grant_counts_only_on_own_department(admins):
    from powerlist.org.models import User

    assert can_administer_users(admins.dept_admin).role == "department_administrator"
    User.objects.filter(pk=admins.dept_admin.pk).update(department=admins.other_dept)
    moved = User.objects.get(pk=admins.dept_admin.pk)
    assert not can_administer_users(moved)


def _detail(pk):
    return f"/administration/users/{pk}/"


# (actor, target, status of the account page)
PAGES = [
    ("province_admin", "clerk", 200),
    ("province_admin", "city_clerk", 200),
    ("city_admin", "city_clerk", 200),
    ("city_admin", "clerk", 404),
    ("dept_admin", "clerk", 200),
    ("dept_admin", "dept_reviewer", 404),
    ("dept_admin", "other_clerk", 404),
    ("admin", "city_reviewer", 200),
    ("clerk", "other_clerk", 403),
    ("supervisor", "clerk", 403),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("actor", "target", "status"), PAGES)
def test_account_page_matrix(client, admins, actor, target, status):
    client.force_login(getattr(admins, actor))
    assert client.get(_detail(getattr(admins, target).pk)).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/administration/users/", "/administration/users/new/",
                                 "/administration/users/import/", "/administration/users/import/template/"])
def test_clerk_gets_403_with_reason(client, admins, url):
    client.force_login(admins.clerk)
    response = client.get(url)
    assert response.status_code == 403
    assert "用户管理仅供系统管理员和部门管理员使用" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/administration/users/", "/administration/users/new/", "/administration/users/1/"])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_department_admin_granting_office_role_gets_403_with_reason(client, admins):
    client.force_login(admins.dept_admin)
    response = client.post(f"/administration/users/{admins.clerk.pk}/roles/", {"role": Role.OFFICE_REVIEWER})
    assert response.status_code == 403
    assert "部门管理员只能授予或收回“经办人”角色" in response.content.decode()
    assert not admins.clerk.role_assignments.filter(role=Role.OFFICE_REVIEWER).exists()


@pytest.mark.django_db
def test_department_admin_cannot_name_stand_ins(client, admins):
    client.force_login(admins.dept_admin)
    response = client.post(f"/administration/users/{admins.clerk.pk}/stand-ins/",
                           {"stand_in-department": admins.dept.pk})
    assert response.status_code == 403
    assert "代行审核人和部门管理员由系统管理员指定" in response.content.decode()


@pytest.mark.django_db
def test_city_admin_cannot_act_on_province_user(client, admins):
    client.force_login(admins.city_admin)
    assert client.post(f"/administration/users/{admins.clerk.pk}/deactivate/").status_code == 404
    admins.clerk.refresh_from_db()
    assert admins.clerk.is_active
