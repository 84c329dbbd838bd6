"""Eight requests at once against one unique constraint, on PostgreSQL: exactly one
row is saved and every loser gets the pre-check's refusal (a ValidationError naming
the field), never an IntegrityError (a 500). docs/hardening.md has the figures."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from powerlist.catalogue.services import power_create
from powerlist.flowcharts.services import flowchart_create_for_category, flowchart_create_for_power
from powerlist.models import Flowchart, Post, Power
from powerlist.posts.services import post_create
from riskpoints.models import RiskPoint
from riskpoints.services import riskpoint_create
from tests.powerlist.factories import CategoryFactory, PowerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrent transactions need PostgreSQL (CI runs the suite on PostgreSQL)"),
]

WRITERS = 8


def _at_once(fn, n=WRITERS):
    """Call fn(i) in n threads (own connections), released together; each result is
    ("ok", value), ("refused", ValidationError/PermissionDenied) or ("error", exc)."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = ("ok", fn(i))
        except (PermissionDenied, ValidationError) as exc:
            results[i] = ("refused", exc)
        except Exception as exc:  # noqa: BLE001 - an unexpected error is what the test looks for
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _outcomes(results):
    return sorted(kind for kind, _value in results)


def _clerks(org, n=WRITERS):
    """n distinct user objects for the same clerk (as n browser sessions would have)."""
    return [type(org.clerk).objects.get(pk=org.clerk.pk) for _ in range(n)]


def test_eight_clerks_creating_the_same_new_code_one_wins_the_rest_are_told(org):
    category = CategoryFactory()
    clerks = _clerks(org)

    def create(i):
        return power_create(user=clerks[i], department=org.dept, data={
            "code": "210000-XK-RACE-001", "name": f"同时新增的事项{i}", "category": category,
            "division": org.division, "statutory_limit_days": 20, "promised_limit_days": 10,
        })

    results = _at_once(create)
    assert _outcomes(results) == ["ok"] + ["refused"] * (WRITERS - 1), results
    for kind, exc in results:
        if kind == "refused":
            assert exc.message_dict == {"code": ["本区划内已有事项编码“210000-XK-RACE-001”。"]}
    assert Power.objects.filter(code="210000-XK-RACE-001").count() == 1


def test_eight_risk_points_on_one_power_at_once_are_numbered_one_to_eight(org):
    power = PowerFactory(department=org.dept, division=org.division)
    clerks = _clerks(org)

    def create(i):
        return riskpoint_create(user=clerks[i], power=Power.objects.get(pk=power.pk), data={
            "stage": "decision", "post_name": "审批岗", "source": "business_process",
            "description": f"同时登记的风险点{i}", "level": "low", "level_reason": "测试",
            "responsible_person": "甲", "responsible_leader": "乙",
        })

    results = _at_once(create)
    assert _outcomes(results) == ["ok"] * WRITERS, results
    assert sorted(RiskPoint.objects.filter(power=power).values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_eight_risk_points_given_the_same_number_one_wins_the_rest_are_told(org):
    power = PowerFactory(department=org.dept, division=org.division)
    clerks = _clerks(org)

    def create(i):
        return riskpoint_create(user=clerks[i], power=Power.objects.get(pk=power.pk), data={
            "number": 5, "stage": "decision", "post_name": "审批岗", "source": "business_process",
            "description": f"同号风险点{i}", "level": "low", "level_reason": "测试",
            "responsible_person": "甲", "responsible_leader": "乙",
        })

    results = _at_once(create)
    assert _outcomes(results) == ["ok"] + ["refused"] * (WRITERS - 1), results
    for kind, exc in results:
        if kind == "refused":
            assert exc.message_dict == {"number": ["该事项已有序号为 5 的风险点。"]}
    assert RiskPoint.objects.filter(power=power).count() == 1


def test_eight_clerks_adding_the_same_post_name_one_wins_the_rest_are_told(org):
    clerks = _clerks(org)

    def create(i):
        return post_create(user=clerks[i], department=org.dept, data={"name": "受理岗", "duties": f"受理{i}"})

    results = _at_once(create)
    assert _outcomes(results) == ["ok"] + ["refused"] * (WRITERS - 1), results
    for kind, exc in results:
        if kind == "refused":
            assert exc.message_dict == {"name": ["本部门已有名为“受理岗”的岗位。"]}
    assert Post.objects.filter(department=org.dept, name="受理岗").count() == 1


def test_eight_clerks_starting_the_same_category_flowchart_one_wins_the_rest_are_told(org):
    category = CategoryFactory()
    clerks = _clerks(org)

    results = _at_once(lambda i: flowchart_create_for_category(user=clerks[i], department=org.dept,
                                                               category=category))
    assert _outcomes(results) == ["ok"] + ["refused"] * (WRITERS - 1), results
    for kind, exc in results:
        if kind == "refused":
            assert exc.messages == ["本部门已有“行政许可”类别流程图。"]
    assert Flowchart.objects.filter(kind=Flowchart.Kind.CATEGORY, department=org.dept).count() == 1


def test_eight_clerks_starting_a_power_flowchart_at_once_one_wins_the_rest_are_told(org):
    power = PowerFactory(department=org.dept, division=org.division)
    clerks = _clerks(org)

    results = _at_once(lambda i: flowchart_create_for_power(user=clerks[i], power=Power.objects.get(pk=power.pk),
                                                            blank=True))
    assert _outcomes(results) == ["ok"] + ["refused"] * (WRITERS - 1), results
    for kind, exc in results:
        if kind == "refused":
            assert exc.messages == ["该事项已有流程图。"]
    assert Flowchart.objects.filter(power=power).count() == 1
