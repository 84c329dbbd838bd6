"""Issue 3 in a real browser: a power goes from the clerk's form through every review
stage, is returned once with a comment, fixed, resubmitted and confirmed."""

import pytest

from powerlist.models import Power, ReviewState
from tests.e2e.conftest import assert_accessible, login, press, switch_user
from tests.powerlist.factories import CategoryFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "企业投资项目核准(浏览器测试)"
RETURN_COMMENT = "请补充办理条件,并写明申报材料清单。"
CONDITIONS = "项目符合国家产业政策;提交项目申请报告、用地预审意见、环评批复。"


def _open_from_queue(page, queue_label):
    """From the workspace, open the role's queue card, then the power in the queue."""
    page.get_by_role("main").get_by_role("link", name=queue_label).click()
    assert page.inner_text("h1") == queue_label
    page.get_by_role("link", name=NAME).click()
    assert page.inner_text("h1") == NAME


def _act(page, button, comment=""):
    if comment:
        page.fill("#review-comment", comment)
    press(page, button)


def test_power_review_journey_with_one_return(org, page, live_server):
    CategoryFactory()

    # 1. The clerk creates the power in the web form, with a legal basis, and submits it.
    login(page, live_server, "clerk")
    page.get_by_role("main").get_by_role("link", name="我的事项").click()
    page.get_by_role("link", name="新增权力事项").click()
    assert page.inner_text("h1") == "新增权力事项"
    page.get_by_label("事项编码").fill("210000-FG-XK-901")
    page.get_by_label("事项名称").fill(NAME)
    page.get_by_label("职权类别").select_option(label="行政许可")
    page.get_by_label("法定时限(工作日)").fill("20")
    page.get_by_label("承诺时限(工作日)").fill("10")
    page.get_by_label("法律法规名称").fill("《企业投资项目核准和备案管理条例》")
    page.get_by_label("条款", exact=True).fill("第三条")
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert page.inner_text("h1") == NAME
    assert "已保存为草稿" in page.inner_text(".messages")
    assert "《企业投资项目核准和备案管理条例》第三条" in page.inner_text("dl.fields")
    power = Power.objects.get(code="210000-FG-XK-901")
    assert power.division == org.division
    # The new power starts with the licence stages; the clerk fills in the first one.
    page.get_by_role("link", name="编辑", exact=True).click()
    assert page.get_by_label("环节").first.input_value() == "acceptance"
    page.get_by_label("责任内容").first.fill("依法受理、审查并作出核准决定。")
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert "受理责任" in page.inner_text("#duties-heading + .table-wrap")
    _act(page, "提交审核")
    power.refresh_from_db()
    assert power.state == ReviewState.DEPARTMENT_REVIEW

    # 2. The department reviewer approves from their queue.
    switch_user(page, live_server, "dept_reviewer")
    _open_from_queue(page, "部门审核")
    assert "自上次提交以来的修改" not in page.inner_text("main")  # a first submission
    _act(page, "审核通过")

    # 3. The office reviewer returns it with a comment.
    switch_user(page, live_server, "office_reviewer")
    _open_from_queue(page, "办公室审核")
    _act(page, "退回修改", RETURN_COMMENT)
    power.refresh_from_db()
    assert power.state == ReviewState.DRAFT

    # 4. The clerk sees the comment, fixes the power and resubmits.
    switch_user(page, live_server, "clerk")
    page.get_by_role("main").get_by_role("link", name="我的事项").click()
    row = page.get_by_role("row").filter(has_text=NAME)
    assert "已退回" in row.inner_text()
    row.get_by_role("link", name=NAME).click()
    assert RETURN_COMMENT in page.get_by_role("note").filter(has_text="退回意见").inner_text()
    assert RETURN_COMMENT in page.inner_text("ol.timeline")
    page.get_by_role("link", name="编辑", exact=True).click()
    assert page.inner_text("h1") == "编辑权力事项"
    page.get_by_label("办理条件").fill(CONDITIONS)
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert CONDITIONS in page.inner_text("dl.fields")
    _act(page, "提交审核")

    # 5. The department reviewer approves the resubmission.
    switch_user(page, live_server, "dept_reviewer")
    _open_from_queue(page, "部门审核")
    _act(page, "审核通过")

    # 6. The office reviewer sees what changed since the last submission, and approves.
    switch_user(page, live_server, "office_reviewer")
    _open_from_queue(page, "办公室审核")
    section = page.get_by_role("region", name="自上次提交以来的修改")
    changed = section.get_by_role("row").filter(has_text="办理条件")
    assert changed.count() == 1
    assert CONDITIONS in changed.locator("ins").inner_text()
    assert_accessible(page)
    _act(page, "审核通过")
    power.refresh_from_db()
    assert power.state == ReviewState.FINAL_REVIEW

    # 7. The establishment office and the legal office each confirm.
    switch_user(page, live_server, "establishment")
    _open_from_queue(page, "编委办确认")
    assert "编委办:待确认" in page.inner_text("p.meta")
    _act(page, "编委办确认")
    power.refresh_from_db()
    assert power.state == ReviewState.FINAL_REVIEW

    switch_user(page, live_server, "legal")
    _open_from_queue(page, "法制办确认")
    assert "编委办:已确认" in page.inner_text("p.meta")
    _act(page, "法制办确认")

    # 8. The power is confirmed, with its revision in force.
    power.refresh_from_db()
    assert power.state == ReviewState.CONFIRMED
    assert power.in_force is not None and power.in_force.data["conditions"] == CONDITIONS
    page.goto(f"{live_server.url}/powers/{power.pk}/")
    meta = page.inner_text("p.meta")
    assert "已确认" in meta
    assert "现行版本:第 1 版" in meta
    assert page.get_by_role("region", name="审核操作").count() == 0
    log = page.inner_text("ol.timeline")
    for action in ("创建", "提交审核", "审核通过", "退回修改", "编委办确认", "法制办确认"):
        assert action in log


def test_return_without_comment_is_refused_on_the_page(org, page, live_server):
    from powerlist.review.engine import review_approve, review_submit
    from tests.powerlist.factories import LegalBasisFactory, PowerFactory

    power = PowerFactory(department=org.dept, division=org.division, name=NAME)
    LegalBasisFactory(power=power)
    review_approve(user=org.dept_reviewer, obj=review_submit(user=org.clerk, obj=power))
    login(page, live_server, "office_reviewer")
    page.goto(f"{live_server.url}/powers/{power.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="退回修改", exact=True).click()
    assert page.locator(".message-error").count() == 1
    power.refresh_from_db()
    assert power.state == ReviewState.OFFICE_REVIEW


def test_reviewer_batch_approves_ticked_items_from_the_queue(org, page, live_server):
    from powerlist.review.engine import review_submit
    from tests.powerlist.factories import LegalBasisFactory, PowerFactory

    powers = []
    for name in ("企业投资项目核准", "价格认定", "政府定价成本监审"):
        power = PowerFactory(department=org.dept, division=org.division, name=name)
        LegalBasisFactory(power=power)
        powers.append(review_submit(user=org.clerk, obj=power))
    login(page, live_server, "dept_reviewer")
    page.get_by_role("main").get_by_role("link", name="部门审核").click()
    assert page.locator("#queue-heading .badge").inner_text() == "3"
    page.get_by_label("选择 企业投资项目核准").check()
    page.get_by_label("选择 价格认定").check()
    with page.expect_navigation():
        page.get_by_role("button", name="审核通过", exact=True).click()
    assert "已处理 2 项" in page.inner_text(".messages")
    assert page.locator("#queue-heading .badge").inner_text() == "1"
    states = {p.name: p.state for p in Power.objects.filter(pk__in=[p.pk for p in powers])}
    assert states == {
        "企业投资项目核准": ReviewState.OFFICE_REVIEW,
        "价格认定": ReviewState.OFFICE_REVIEW,
        "政府定价成本监审": ReviewState.DEPARTMENT_REVIEW,
    }
    # Returning in batch needs a comment: refused on the page, nothing changes.
    page.get_by_label("选择 政府定价成本监审").check()
    with page.expect_navigation():
        page.get_by_role("button", name="退回修改", exact=True).click()
    assert "批量“退回修改”时必须填写意见" in page.inner_text(".messages")
    assert Power.objects.get(pk=powers[2].pk).state == ReviewState.DEPARTMENT_REVIEW
