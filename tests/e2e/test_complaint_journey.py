"""A citizen without an account and without JavaScript: from a power's public page, file
a complaint (captcha solved as a person would read it), keep the code and phrase, look
the complaint up, read the reply and rate it. axe-core (which needs JavaScript, so in a
second, ordinary browser context) finds no serious violation on the form and the lookup."""

import pytest
from captcha.models import CaptchaStore
from django.core.cache import cache

from disclosure.services import publication_create
from supervision.complaints.flow import ComplaintState
from supervision.complaints.models import Complaint, ComplaintIdentity
from tests.disclosure.factories import confirmed_power
from tests.e2e.conftest import assert_accessible
from tests.supervision.complaints.helpers import COMMENTS, drive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_citizen_files_tracks_and_rates_a_complaint(org, live_server, no_js, page):
    cache.clear()
    power = confirmed_power(org, name="企业投资项目备案", code="210000-QT-101")
    publication_create(user=org.dept_reviewer, department=org.dept, note="首次公开。")
    axe_page, page = page, no_js
    page.goto(f"{live_server.url}/")
    assert page.locator("#home-complain-link").is_visible()
    page.goto(f"{live_server.url}/p/{org.province.code}/{power.code}/")
    with page.expect_navigation():
        page.get_by_role("link", name="对本事项投诉或纠错").click()
    assert page.get_by_role("heading", level=1).inner_text() == "对本事项投诉或纠错"
    assert "企业投资项目备案" in page.inner_text("main")
    for path in (f"/complaints/new/?power={power.pk}", f"/complaints/new/?region={org.province.pk}",
                 "/complaints/track/"):
        axe_page.goto(f"{live_server.url}{path}")
        assert_accessible(axe_page)
    page.get_by_label("标题").fill("窗口三次要求补交同一份材料")
    page.get_by_label("投诉内容").fill("办理备案时窗口三次要求补交同一份材料,每次说法不一。")
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("联系电话").fill("13900002222")
    key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("验证码").fill(CaptchaStore.objects.get(hashkey=key).response)
    with page.expect_navigation():
        page.get_by_role("button", name="提交投诉").click()
    assert page.get_by_role("heading", level=1).inner_text() == "投诉已提交"
    code = page.locator("#tracking-code").inner_text().strip()
    phrase = page.locator("#phrase").inner_text().strip()
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.power_id == power.pk and ComplaintIdentity.objects.filter(complaint=complaint).exists()

    drive(complaint, ComplaintState.REPLIED, supervisor=org.supervisor)

    with page.expect_navigation():
        page.get_by_role("link", name="查询办理进度").click()
    page.get_by_label("查询码").fill(code)
    page.get_by_label("查询密语").fill(phrase)
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    assert page.locator("#complaint-state").inner_text() == "已答复"
    assert page.locator("#complaint-reply").inner_text() == COMMENTS["reply"]
    assert "李四" not in page.inner_text("main")
    page.get_by_label("基本满意").check()
    with page.expect_navigation():
        page.get_by_role("button", name="提交评价").click()
    assert page.locator("#complaint-rating").inner_text() == "基本满意"
    complaint.refresh_from_db()
    assert complaint.rating == 2
