"""API: same permission rules as the pages."""

import pytest
from rest_framework.test import APIClient

from powerlist.models import ReviewState
from riskpoints.models import RiskPoint
from riskpoints.services import riskpoint_assign_experts
from tests.riskpoints.factories import BenchmarkFactory, CountermeasureFactory, RiskPointFactory, benchmark_rows

pytestmark = pytest.mark.django_db
BASE = "/api/v1/riskpoints/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_clerk_creates_adds_measure_and_submits(org, power):
    client = api(org.clerk)
    response = client.post(BASE, {
        "power": power.pk, "stage": "execution", "post_name": "审批岗", "source": "post_duties",
        "description": "超时限办理", "likelihood": 2, "impact": 2, "level": "low", "level_reason": "仅涉及时限",
        "responsible_person": "甲", "responsible_leader": "乙",
    }, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.post(f"{BASE}{pk}/review/submit/", {}, format="json")
    assert response.status_code == 400 and "防范措施" in str(response.json())
    response = client.post(f"{BASE}{pk}/countermeasures/", {
        "kind": "it_monitoring", "text": "电子监察时限预警", "responsible_unit": "投资处",
        "responsible_person": "甲", "deadline": "2030-06-30"}, format="json")
    assert response.status_code == 201
    response = client.post(f"{BASE}{pk}/review/submit/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == ReviewState.DEPARTMENT_REVIEW


def test_create_refused_for_other_department(org, power):
    response = api(org.other_clerk).post(BASE, {"power": power.pk, "stage": "decision", "source": "rules",
                                                "description": "x", "level": "low", "post_name": "岗",
                                                "responsible_person": "甲", "responsible_leader": "乙"},
                                         format="json")
    assert response.status_code == 404  # the draft power is not visible to another department


def test_expert_cannot_read_unassigned_point(org, power):
    assigned = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    other = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=assigned, experts=[org.expert])
    client = api(org.expert)
    assert client.get(f"{BASE}{other.pk}/").status_code == 404
    assert client.get(f"{BASE}{assigned.pk}/").status_code == 200
    assert [r["id"] for r in client.get(BASE).json()["results"]] == [assigned.pk]
    assert client.post(f"{BASE}{other.pk}/opinion/", {"verdict": "agree"}, format="json").status_code == 404


def test_expert_review_through_api(org, power):
    rp = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    CountermeasureFactory(riskpoint=rp)
    response = api(org.dept_reviewer).post(f"{BASE}{rp.pk}/experts/", {"experts": [org.expert.pk]}, format="json")
    assert response.status_code == 403 and "领导小组办公室" in response.json()["detail"]
    response = api(org.office_reviewer).post(f"{BASE}{rp.pk}/experts/", {"experts": [org.expert.pk]}, format="json")
    assert response.status_code == 201
    response = api(org.expert).post(f"{BASE}{rp.pk}/opinion/", {"verdict": "disagree"}, format="json")
    assert response.status_code == 400
    response = api(org.expert).post(f"{BASE}{rp.pk}/opinion/", {"verdict": "agree_with_changes",
                                                                "comment": "补充监测指标"}, format="json")
    assert response.status_code == 200
    opinions = api(org.office_reviewer).get(f"{BASE}{rp.pk}/opinions/").json()
    assert opinions[0]["verdict"] == "agree_with_changes"
    response = api(org.office_reviewer).post(f"{BASE}{rp.pk}/review/approve/", {"comment": "确认"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == ReviewState.CONFIRMED


def test_patch_only_drafts_and_stale_version_conflicts(org, power):
    rp = RiskPointFactory(power=power)
    client = api(org.clerk)
    response = client.patch(f"{BASE}{rp.pk}/", {"description": "新内容", "version": rp.version + 5}, format="json")
    assert response.status_code == 409
    response = client.patch(f"{BASE}{rp.pk}/", {"description": "新内容", "version": rp.version}, format="json")
    assert response.status_code == 200, response.json()
    assert RiskPoint.objects.get().description == "新内容"
    RiskPoint.objects.filter(pk=rp.pk).update(state=ReviewState.DEPARTMENT_REVIEW)
    assert client.patch(f"{BASE}{rp.pk}/", {"description": "x"}, format="json").status_code == 403


def test_coverage_api(org, power):
    RiskPointFactory(power=power)
    data = api(org.office_reviewer).get(f"{BASE}coverage/").json()
    assert data["scope"] == "region" and data["total"]["points"] == 1
    assert api(org.expert).get(f"{BASE}coverage/").status_code == 403


def test_benchmarks_api_scoped(org, power):
    from riskpoints.models import DiscretionRow

    benchmark = BenchmarkFactory(power=power)
    DiscretionRow.objects.bulk_create([DiscretionRow(benchmark=benchmark, **row) for row in benchmark_rows()])
    data = api(org.clerk).get(f"{BASE}benchmarks/").json()
    assert data["results"][0]["rows"][0]["grade"] == "minor"
    assert api(org.city_clerk).get(f"{BASE}benchmarks/").json()["results"] == []
