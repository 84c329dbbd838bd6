"""Pages: permissions with reasons, expert visibility, forms, attachments, coverage, queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from powerlist.models import ReviewState
from riskpoints.models import Countermeasure, RiskPoint
from riskpoints.services import riskpoint_assign_experts
from tests.powerlist.factories import PowerFactory
from tests.riskpoints.factories import BenchmarkFactory, CountermeasureFactory, RiskPointFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def _in_office_review(power):
    rp = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    CountermeasureFactory(riskpoint=rp)
    return rp


def test_expert_cannot_open_unassigned_point_page(client, org, power):
    assigned, other = _in_office_review(power), _in_office_review(power)
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=assigned, experts=[org.expert])
    client.force_login(org.expert)
    # Not assigned: the expert may not read it, so it is 404 like a missing point.
    response = client.get(reverse("riskpoints:detail", args=[other.pk]))
    assert response.status_code == 404
    page = client.get(reverse("riskpoints:detail", args=[assigned.pk])).content.decode()
    assert "提出评审意见" in page and assigned.description in page
    assert "审核记录" not in page  # experts see the point, not the department's log


def test_expert_workspace_lists_assignments(client, org, power):
    rp = _in_office_review(power)
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.expert])
    client.force_login(org.expert)
    page = client.get(reverse("powerlist:workspace_role", args=["expert"])).content.decode()
    assert reverse("riskpoints:detail", args=[rp.pk]) in page and "待提出" in page


def test_expert_records_opinion_and_office_sees_it(client, org, power):
    rp = _in_office_review(power)
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.expert])
    client.force_login(org.expert)
    client.post(reverse("riskpoints:opinion", args=[rp.pk]), {"verdict": "agree_with_changes", "comment": "补充指标"})
    client.force_login(org.office_reviewer)
    page = client.get(reverse("riskpoints:detail", args=[rp.pk])).content.decode()
    assert "修改后同意" in page and "补充指标" in page


def test_office_assigns_experts_through_the_page(client, org, power):
    rp = _in_office_review(power)
    client.force_login(org.office_reviewer)
    page = client.get(reverse("riskpoints:detail", args=[rp.pk])).content.decode()
    assert "分配专家" in page and str(org.expert) in page
    assert str(org.dept_reviewer) not in page.split("组织专家评审")[1]  # own department excluded
    client.post(reverse("riskpoints:assign_experts", args=[rp.pk]), {"experts": [org.expert.pk]})
    assert rp.expert_assignments.filter(expert=org.expert).exists()


def test_dept_reviewer_cannot_assign_experts(client, org, power):
    rp = _in_office_review(power)
    client.force_login(org.dept_reviewer)
    response = client.post(reverse("riskpoints:assign_experts", args=[rp.pk]), {"experts": [org.expert.pk]})
    assert response.status_code == 403 and "领导小组办公室" in response.content.decode()


def test_clerk_creates_point_and_measure_with_attachment(client, org, power):
    client.force_login(org.clerk)
    response = client.post(reverse("riskpoints:create", args=[power.pk]), {
        "stage": "decision", "post_name": "审批岗", "source": "business_process",
        "description": "违规核准", "likelihood": 5, "impact": 5, "level": "high",
        "monitoring_indicator": "抽查不合格率", "responsible_person": "甲", "responsible_leader": "乙",
    })
    rp = RiskPoint.objects.get()
    assert response.status_code == 302 and response.url == reverse("riskpoints:detail", args=[rp.pk])
    response = client.post(reverse("riskpoints:measure_create", args=[rp.pk]), {
        "kind": "new_rule", "text": "集体审议", "responsible_unit": "投资处", "responsible_person": "甲",
        "deadline": "2030-01-01", "upload": SimpleUploadedFile("制度.pdf", PDF),
    })
    assert response.status_code == 302
    measure = Countermeasure.objects.get()
    download = client.get(reverse("riskpoints:measure_attachment", args=[measure.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "制度.pdf" in download["Content-Disposition"] or "filename*" in download["Content-Disposition"]
    client.force_login(org.other_clerk)
    assert client.get(reverse("riskpoints:measure_attachment", args=[measure.pk])).status_code == 404


def test_bad_attachment_shows_form_error(client, org, power):
    rp = RiskPointFactory(power=power)
    client.force_login(org.clerk)
    response = client.post(reverse("riskpoints:measure_create", args=[rp.pk]), {
        "kind": "new_rule", "text": "集体审议", "responsible_unit": "投资处", "responsible_person": "甲",
        "deadline": "2030-01-01", "upload": SimpleUploadedFile("制度.pdf", b"MZ\x90\x00"),
    })
    assert response.status_code == 200 and "附件内容与文件类型" in response.content.decode()
    assert not Countermeasure.objects.exists()


def test_other_department_clerk_cannot_create(client, org, power):
    client.force_login(org.other_clerk)
    response = client.get(reverse("riskpoints:create", args=[power.pk]))
    assert response.status_code == 404  # may not read the power: like a missing one


def test_riskpoint_list_query_count_is_constant(client, org, django_assert_max_num_queries):
    for _ in range(3):
        CountermeasureFactory(riskpoint=RiskPointFactory(power=PowerFactory(department=org.dept, division=org.division)))
    client.force_login(org.clerk)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("riskpoints:list")).status_code == 200
    for _ in range(20):
        RiskPointFactory(power=PowerFactory(department=org.dept, division=org.division))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("riskpoints:list")).content.decode()
    assert "共 23 个风险点" in page


def test_queue_shows_points_waiting_for_the_office(client, org, power):
    rp = _in_office_review(power)
    client.force_login(org.office_reviewer)
    page = client.get(reverse("riskpoints:queue")).content.decode()
    assert reverse("riskpoints:detail", args=[rp.pk]) in page
    client.force_login(org.expert)
    assert client.get(reverse("riskpoints:queue")).status_code == 403


def test_coverage_page_for_office_and_department(client, org, power, django_assert_max_num_queries):
    PowerFactory(department=org.other_dept, division=org.other_dept_division)
    rp = RiskPointFactory(power=power, state=ReviewState.CONFIRMED, confirmed_power_revision=1)
    CountermeasureFactory(riskpoint=rp, deadline=datetime.date(2020, 1, 1))
    client.force_login(org.office_reviewer)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("riskpoints:coverage")).content.decode()
    assert "发展改革委" in page and "财政厅" in page
    page = client.get(reverse("riskpoints:coverage") + "?list=overdue").content.decode()
    assert "2020-01-01" in page
    client.force_login(org.clerk)
    page = client.get(reverse("riskpoints:coverage")).content.decode()
    assert "财政厅" not in page
    client.force_login(org.expert)
    assert client.get(reverse("riskpoints:coverage")).status_code == 403


def test_power_page_colours_marked_step(client, org, power):
    from powerlist.models import Flowchart, Step

    chart = Flowchart.objects.create(region=org.province, department=org.dept, category=power.category,
                                     power=power, title="流程图")
    step = Step.objects.create(flowchart=chart, name="审查决定", order=1)
    Step.objects.create(flowchart=chart, name="受理", order=0)
    RiskPointFactory(power=power, step=step, level="high")
    client.force_login(org.clerk)
    page = client.get(reverse("riskpoints:power", args=[power.pk])).content.decode()
    assert "<svg" in page and "#f28b82" in page.lower()


def test_benchmark_form_reports_rule_errors(client, org, power):
    client.force_login(org.clerk)
    data = {"title": "基准", "unit": "yuan", "statutory_min": "50000", "statutory_max": "500000",
            "statutory_text": "处五万元以上五十万元以下罚款",
            "row-TOTAL_FORMS": "2", "row-INITIAL_FORMS": "0", "row-MIN_NUM_FORMS": "0", "row-MAX_NUM_FORMS": "1000"}
    for i, (grade, lo, hi) in enumerate([("minor", 50000, 100000), ("general", 100000, 600000)]):
        data.update({f"row-{i}-violation": "哄抬价格", f"row-{i}-clause_breached": "第十四条",
                     f"row-{i}-penalty_basis": "第三十九条", f"row-{i}-grade": grade,
                     f"row-{i}-circumstances": "情节", f"row-{i}-range_min": lo, f"row-{i}-range_max": hi,
                     f"row-{i}-measure_text": "罚款"})
    page = client.post(reverse("riskpoints:benchmark_create", args=[power.pk]), data).content.decode()
    assert "至少应划分三个裁量阶次" in page and "超出法定处罚幅度" in page


def test_benchmark_detail_visible_in_scope(client, org, power):
    benchmark = BenchmarkFactory(power=power)
    client.force_login(org.office_reviewer)
    assert client.get(reverse("riskpoints:benchmark_detail", args=[benchmark.pk])).status_code == 200
    client.force_login(org.city_clerk)
    assert client.get(reverse("riskpoints:benchmark_detail", args=[benchmark.pk])).status_code == 404


def test_generic_review_endpoint_works_for_riskpoints(client, org, power):
    rp = RiskPointFactory(power=power)
    client.force_login(org.clerk)
    client.post(reverse("powerlist:review_action", args=["riskpoints.riskpoint", rp.pk, "submit"]),
                {"version": rp.version})
    rp.refresh_from_db()
    assert rp.state == ReviewState.DRAFT  # no countermeasure yet: refused with a message
    CountermeasureFactory(riskpoint=rp)
    client.post(reverse("powerlist:review_action", args=["riskpoints.riskpoint", rp.pk, "submit"]),
                {"version": rp.version})
    rp.refresh_from_db()
    assert rp.state == ReviewState.DEPARTMENT_REVIEW


def test_reviewer_sees_changes_since_last_submission(client, org, power):
    from powerlist.review.engine import review_approve, review_return, review_submit
    from riskpoints.services import countermeasure_create, riskpoint_update

    rp = RiskPointFactory(power=power)
    CountermeasureFactory(riskpoint=rp)
    rp = review_submit(user=org.clerk, obj=rp)
    rp = review_return(user=org.dept_reviewer, obj=rp, comment="请补充信息化监控措施")
    riskpoint_update(user=org.clerk, riskpoint=rp, data={"manifestation": "拆分项目规避核准权限"})
    countermeasure_create(user=org.clerk, riskpoint=rp, data={
        "kind": "it_monitoring", "text": "在线平台比对产业目录", "responsible_unit": "信息中心",
        "responsible_person": "甲", "deadline": datetime.date(2030, 1, 1)})
    rp = review_submit(user=org.clerk, obj=rp)
    client.force_login(org.dept_reviewer)
    page = client.get(reverse("riskpoints:detail", args=[rp.pk])).content.decode()
    section = page.split("自上次提交以来的修改", 1)[1].split("风险点内容")[0]
    assert "拆分项目规避核准权限" in section and "在线平台比对产业目录" in section
    review_approve(user=org.dept_reviewer, obj=rp)
