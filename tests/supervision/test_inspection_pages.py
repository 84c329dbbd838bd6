"""The inspection pages: who sees them, forms that save or refuse with a message, and a
constant number of queries on the lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from powerlist.models import ReviewState
from supervision.models import Finding, InspectionPlan, Rectification
from tests.powerlist.factories import PowerFactory
from tests.riskpoints.factories import RiskPointFactory
from tests.supervision.inspection_factories import FindingFactory, RectificationFactory

pytestmark = pytest.mark.django_db


def test_supervisor_plans_records_and_requires_rectification(client, org):
    client.force_login(org.supervisor)
    response = client.post(reverse("supervision:inspection_create"), {
        "department": org.dept.pk, "title": "专项检查", "period_start": "2026-10-01", "period_end": "2026-09-01"})
    assert response.status_code == 200
    assert "检查期间止不能早于检查期间起" in response.content.decode()
    assert not InspectionPlan.objects.exists()
    response = client.post(reverse("supervision:inspection_create"), {
        "department": org.dept.pk, "title": "专项检查", "period_start": "2026-10-01", "period_end": "2026-12-31"})
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    point = RiskPointFactory(power=PowerFactory(department=org.dept, division=org.division),
                             state=ReviewState.CONFIRMED)
    response = client.post(plan.get_absolute_url(), {"description": "一人审查", "risk_point": point.pk})
    assert response.status_code == 302
    finding = Finding.objects.get()
    point.refresh_from_db()
    assert point.regrading_required
    deadline = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    response = client.post(reverse("supervision:rectification_create", args=[finding.pk]),
                           {"requirement": "落实两人审查", "deadline": deadline})
    assert response.status_code == 302
    rect = Rectification.objects.get()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "落实两人审查" in page and "一人审查" in page
    assert client.get(rect.get_absolute_url()).status_code == 200


def test_clerk_files_through_the_page_and_cannot_plan(client, org):
    rect = RectificationFactory(finding__plan__department=org.dept, finding__plan__created_by=org.supervisor)
    client.force_login(org.clerk)
    assert client.get(reverse("supervision:inspection_create")).status_code == 403
    assert client.post(rect.finding.plan.get_absolute_url(), {"description": "x"}).status_code == 403
    page = client.get(rect.get_absolute_url()).content.decode()
    assert "报送整改情况" in page
    url = reverse("powerlist:review_action", args=["supervision.rectification", rect.pk, "file"])
    client.post(url, {"version": rect.version, "comment": "已整改"})
    rect.refresh_from_db()
    assert rect.state == "filed"


def test_other_department_gets_404(client, org):
    rect = RectificationFactory(finding__plan__department=org.dept, finding__plan__created_by=org.supervisor)
    client.force_login(org.other_clerk)
    assert client.get(rect.get_absolute_url()).status_code == 404
    assert client.get(rect.finding.plan.get_absolute_url()).status_code == 404
    assert client.get(reverse("supervision:rectification_create", args=[rect.finding_id])).status_code == 404


def _make(org, n):
    finding = None
    for _ in range(n):
        finding = FindingFactory(plan__department=org.dept, plan__created_by=org.supervisor)
        FindingFactory(plan=finding.plan)
        RectificationFactory(finding=finding)
        RiskPointFactory(power=PowerFactory(department=org.dept, division=org.division),
                         state=ReviewState.CONFIRMED)
    return finding


def _counts(client, plan):
    urls = [reverse(f"supervision:{name}") + "?all=1" for name in (
        "inspection_list", "rectification_list", "accountability_list", "riskpoint_coverage")]
    counts = []
    for url in urls + [plan.get_absolute_url()]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts


def test_lists_take_a_constant_number_of_queries(client, org, django_assert_max_num_queries):
    client.force_login(org.supervisor)
    plan = _make(org, 2).plan
    few = _counts(client, plan)
    _make(org, 5)
    for _ in range(4):
        FindingFactory(plan=plan)
    assert _counts(client, plan) == few
    assert max(few) <= 20
