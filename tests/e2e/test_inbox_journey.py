"""Issue 8 in a real browser: the flow engine tells people. A submitted power reaches
the department reviewer's inbox; when the reviewer returns it, the clerk's inbox has
the comment; the header counts what is unread."""

import pytest

from powerlist.models import ReviewState
from tests.e2e.conftest import assert_accessible, login, press, switch_user
from tests.powerlist.factories import LegalBasisFactory, PowerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "政府定价成本监审(消息测试)"
COMMENT = "请补充成本监审的法定程序依据。"


def _header_inbox(page):
    return page.get_by_role("banner").get_by_role("link", name="条未读消息")


def test_submission_and_return_reach_the_inboxes(org, page, live_server):
    power = PowerFactory(department=org.dept, division=org.division, name=NAME)
    LegalBasisFactory(power=power)

    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/powers/{power.pk}/")
    press(page, "提交审核")
    power.refresh_from_db()
    assert power.state == ReviewState.DEPARTMENT_REVIEW

    switch_user(page, live_server, "dept_reviewer")
    assert _header_inbox(page).inner_text() == "消息(1)"
    _header_inbox(page).click()
    assert page.inner_text("h1") == "消息"
    notice = page.get_by_role("main").get_by_role("row").filter(has_text=NAME)
    assert "提交审核" in notice.inner_text()
    assert_accessible(page)
    notice.get_by_role("link").click()
    assert page.inner_text("h1") == NAME
    page.fill("#review-comment", COMMENT)
    press(page, "退回修改")
    power.refresh_from_db()
    assert power.state == ReviewState.DRAFT

    switch_user(page, live_server, "clerk")
    assert _header_inbox(page).inner_text() == "消息(1)"
    _header_inbox(page).click()
    notice = page.get_by_role("main").get_by_role("row").filter(has_text=NAME)
    assert "退回修改" in notice.inner_text() and COMMENT in notice.inner_text()
