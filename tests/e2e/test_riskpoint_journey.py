"""Issue 5 in a real browser: the clerk registers a high-level risk point with two
countermeasures and submits it; the department approves; the office assigns an
expert; the expert agrees with changes; the office, seeing the opinion, confirms."""

import pytest

from powerlist.models import ReviewState
from riskpoints.models import ExpertAssignment, RiskPoint
from tests.e2e.conftest import assert_accessible, login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "违规核准不符合产业政策的项目(浏览器测试)"
EXPERT_COMMENT = "建议将监测指标细化为按季度抽查核准项目的比例。"


def _as(page, live_server, username):
    if page.url.startswith(live_server.url) and page.locator("header form.inline-form").count():
        logout(page)
    login(page, live_server, username)


def _submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    assert page.locator(".message-success").count() == 1, page.inner_text("main")


def _add_measure(page, kind, text, deadline):
    page.get_by_role("link", name="新增防范措施").first.click()
    page.get_by_label("措施类型").select_option(label=kind)
    page.get_by_label("措施内容").fill(text)
    page.get_by_label("责任单位").fill("投资处")
    page.get_by_label("责任人").fill("王经办")
    page.get_by_label("完成时限").fill(deadline)
    _submit(page, "保存")


def test_riskpoint_journey_with_expert_review(org, power, page, live_server):
    # 1. The clerk registers a high-level point on the power and adds two measures.
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/riskpoints/powers/{power.pk}/")
    page.get_by_role("link", name="登记风险点").click()
    page.get_by_label("权力运行环节").select_option(label="决策")
    page.get_by_label("岗位名称").fill("审批岗")
    page.get_by_label("风险来源").select_option(label="业务流程")
    page.get_by_label("风险内容").fill(DESCRIPTION)
    page.get_by_label("表现形式").fill("对列入限制类目录的项目予以核准")
    page.get_by_label("发生可能性(1-5)").fill("4")
    page.get_by_label("影响程度(1-5)").fill("5")
    page.locator("#id_level").select_option(label="高")
    page.get_by_label("监测指标").fill("核准项目抽查不合格率")
    page.locator("#id_responsible_person").fill("王经办")
    page.get_by_label("责任领导").fill("李处长")
    _submit(page, "保存")
    assert "已保存为草稿" in page.inner_text(".messages")
    _add_measure(page, "修订制度(风险变化)", "修订核准办理规程,明确产业政策审查要点", "2030-06-30")
    _add_measure(page, "信息化监控", "在线审批平台实时比对产业目录", "2030-12-31")
    assert page.locator("section[aria-labelledby=measures-heading] tbody tr").count() == 2
    assert_accessible(page)
    _submit(page, "提交审核")
    riskpoint = RiskPoint.objects.get(description=DESCRIPTION)
    assert riskpoint.state == ReviewState.DEPARTMENT_REVIEW and riskpoint.level == "high"

    # 2. The department reviewer approves it from the risk-point queue.
    _as(page, live_server, "dept_reviewer")
    page.goto(f"{live_server.url}/riskpoints/queue/")
    page.get_by_role("link", name=DESCRIPTION).click()
    _submit(page, "审核通过")

    # 3. The office reviewer assigns the expert; confirming before the opinion is refused.
    _as(page, live_server, "office_reviewer")
    page.goto(f"{live_server.url}/riskpoints/queue/")
    page.get_by_role("link", name=DESCRIPTION).click()
    page.get_by_label(str(org.expert), exact=False).check()
    _submit(page, "分配专家")
    with page.expect_navigation():
        page.get_by_role("button", name="审核通过", exact=True).click()
    assert "还有专家未提出评审意见" in page.inner_text(".messages")

    # 4. The expert finds it in the workspace and agrees with changes.
    _as(page, live_server, "expert")
    page.goto(f"{live_server.url}/workspace/expert/")
    page.get_by_role("link", name=DESCRIPTION[:20], exact=False).click()
    page.get_by_label("修改后同意").check()
    page.get_by_label("意见说明").fill(EXPERT_COMMENT)
    _submit(page, "提交意见")
    assert ExpertAssignment.objects.get(riskpoint=riskpoint).verdict == "agree_with_changes"

    # 5. The office sees the opinion and confirms.
    _as(page, live_server, "office_reviewer")
    page.goto(f"{live_server.url}/riskpoints/{riskpoint.pk}/")
    assert EXPERT_COMMENT in page.inner_text("main")
    _submit(page, "审核通过")
    riskpoint.refresh_from_db()
    assert riskpoint.state == ReviewState.CONFIRMED
    assert "已确认" in page.inner_text(".meta")
