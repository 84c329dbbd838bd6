"""Issue 14, part 1 in a real browser: an administrator creates a clerk's account and
grants the role; the clerk signs in with the temporary password, must choose their own,
and then reaches the workspace."""

import pytest

from powerlist.org.models import User
from powerlist.org.roles import Role
from tests.e2e.conftest import assert_accessible, login, press, switch_user
from tests.powerlist.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Taiyuan-Road-8848"


def test_administrator_creates_a_clerk_who_must_change_the_password(org, page, live_server):
    make_user(Role.ADMINISTRATOR, org.office, username="province_admin")
    login(page, live_server, "province_admin")
    page.goto(f"{live_server.url}/workspace/administration/")
    page.get_by_role("link", name="新建账号").click()
    assert page.inner_text("h1") == "新建账号"
    assert "你的密码必须包含至少 10 个字符。" in page.inner_text("main")

    page.fill("#id_username", "zhoujing")
    page.fill("#id_display_name", "周静")
    page.select_option("#id_department", str(org.dept.pk))
    # htmx replaces the division options with the chosen department's.
    page.wait_for_selector("#id_division option:text('投资处')", state="attached")
    assert "预算处" not in page.inner_text("#id_division")
    page.select_option("#id_division", label="投资处")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="创建账号").click()
    temporary = page.inner_text("#temporary-password").strip()
    assert len(temporary) == 12
    assert_accessible(page)

    page.get_by_role("link", name="查看该账号").click()
    page.select_option("#id_role", Role.CLERK.value)
    press(page, "授予角色")
    assert "已授予“经办人”角色。" in page.inner_text(".message-success")
    assert_accessible(page)
    assert User.objects.get(username="zhoujing").has_role(Role.CLERK)

    switch_user(page, live_server, "zhoujing", temporary)
    assert page.url.endswith("/account/password/")
    assert page.inner_text("h1") == "修改密码"
    page.goto(f"{live_server.url}/powers/")
    assert "/account/password/" in page.url
    assert_accessible(page)
    page.fill("#id_old_password", temporary)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    press(page, "修改密码")
    assert page.url.endswith("/powers/")
    page.goto(f"{live_server.url}/workspace/")
    assert page.inner_text("h1") == "工作台"
    assert page.get_by_role("link", name="我的事项").count() >= 1
    assert not User.objects.get(username="zhoujing").must_change_password
