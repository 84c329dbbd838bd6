"""The input contract, case by case: each input issue 9 found answering 500, written
out with the answer it must give instead (docs/hardening.md).

API: a bad query parameter is a 400 naming the parameter. Pages: the page without
that filter, and a message saying which filter was ignored. A NUL byte anywhere in
the path, the query string or a form is a 400 (PostgreSQL refuses NUL in text).
The property-based tests (tests/test_fuzz_inputs.py) look for the next ones.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from powerlist.models import Flowchart
from riskpoints.models import RiskPoint
from tests.powerlist.factories import PowerFactory
from tests.powerlist.flowchart_helpers import linear
from tests.riskpoints.factories import BenchmarkFactory, RiskPointFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
NUL = "a\x00b"


def api(user):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def page_client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# ------------------------------------------------------------------ API lists

@pytest.mark.parametrize(("param", "value"), [
    ("power", "abc"), ("department", "abc"), ("power", HUGE), ("power", "-1"), ("power", "0"),
    ("department", "1.5"), ("state", "no-such-state"), ("level", "extreme"), ("stage", "lunch"),
    ("q", "x" * 10_000),
])
def test_riskpoint_api_list_refuses_a_bad_filter_naming_it(org, param, value):
    response = api(org.clerk).get("/api/v1/riskpoints/", {param: value})
    assert response.status_code == 400
    assert param in response.json()


@pytest.mark.parametrize("param", ["q", "stage", "state"])
def test_riskpoint_api_list_refuses_a_nul_byte(org, param):
    response = api(org.clerk).get("/api/v1/riskpoints/", {param: NUL})
    assert response.status_code == 400
    assert "detail" in response.json()


def test_riskpoint_api_list_still_filters_by_good_values(org, power):
    mine = RiskPointFactory(power=power)
    RiskPointFactory(power=PowerFactory(department=org.dept, division=org.division))
    response = api(org.clerk).get("/api/v1/riskpoints/", {"power": power.pk, "stage": "decision"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


@pytest.mark.parametrize(("param", "value"), [
    ("category", "abc"), ("department", "abc"), ("category", HUGE), ("department", "-3"),
    ("kind", "poster"), ("state", "limbo"),
])
def test_flowchart_api_list_refuses_a_bad_filter_naming_it(org, param, value):
    response = api(org.office_reviewer).get("/api/v1/flowcharts/", {param: value})
    assert response.status_code == 400
    assert param in response.json()


@pytest.mark.parametrize(("param", "value"), [
    ("category", HUGE), ("department", HUGE), ("division", "1e5"), ("q", "x" * 10_000),
])
def test_power_api_list_refuses_a_bad_filter_naming_it(org, param, value):
    response = api(org.clerk).get("/api/v1/powers/", {param: value})
    assert response.status_code == 400
    assert param in response.json()


@pytest.mark.parametrize("value", ["abc", HUGE, "-1"])
def test_post_api_list_refuses_a_bad_department(org, value):
    response = api(org.clerk).get("/api/v1/posts/", {"department": value})
    assert response.status_code == 400
    assert "department" in response.json()


@pytest.mark.parametrize("value", ["abc", HUGE, "0"])
def test_benchmark_api_list_refuses_a_bad_power(org, value):
    response = api(org.clerk).get("/api/v1/riskpoints/benchmarks/", {"power": value})
    assert response.status_code == 400
    assert "power" in response.json()


def test_benchmark_api_list_answers_an_unreadable_power_like_a_missing_one(org):
    city_power = PowerFactory(department=org.city_dept, division=org.city_division)
    BenchmarkFactory(power=city_power)
    client = api(org.clerk)
    unreadable = client.get("/api/v1/riskpoints/benchmarks/", {"power": city_power.pk})
    missing = client.get("/api/v1/riskpoints/benchmarks/", {"power": city_power.pk + 1000})
    assert (unreadable.status_code, missing.status_code) == (404, 404)
    assert unreadable.json() == missing.json()


def test_benchmark_api_list_filters_by_a_readable_power(org, power):
    benchmark = BenchmarkFactory(power=power)
    BenchmarkFactory(power=PowerFactory(department=org.dept, division=org.division))
    response = api(org.clerk).get("/api/v1/riskpoints/benchmarks/", {"power": power.pk})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [benchmark.pk]


# ------------------------------------------------------------------ pages

@pytest.mark.parametrize("param", ["state", "kind", "q"])
def test_flowchart_page_refuses_a_nul_byte(org, param):
    response = page_client(org.office_reviewer).get(reverse("powerlist:flowchart_list"), {param: NUL})
    assert response.status_code == 400


def test_flowchart_page_drops_an_unknown_state_with_a_message(org, power):
    linear(power, ["受理", "决定"])
    response = page_client(org.office_reviewer).get(reverse("powerlist:flowchart_list"),
                                                    {"state": "limbo", "kind": "power"})
    assert response.status_code == 200
    assert [chart.pk for chart in response.context["page"]] == [Flowchart.objects.get().pk]
    shown = [str(m) for m in response.context["messages"]]
    assert any("审核状态" in m for m in shown), shown


@pytest.mark.parametrize(("param", "value"), [("department", HUGE), ("category", "-1"), ("page", HUGE)])
def test_flowchart_page_ignores_out_of_range_ids(org, param, value):
    assert page_client(org.office_reviewer).get(reverse("powerlist:flowchart_list"), {param: value}).status_code == 200


def test_riskpoint_page_keeps_the_good_filters_and_names_the_bad_one(org, power):
    high = RiskPointFactory(power=power, level="high")
    RiskPointFactory(power=power, level="low")
    response = page_client(org.clerk).get(reverse("riskpoints:list"), {"level": "high", "stage": "lunch"})
    assert response.status_code == 200
    assert [rp.pk for rp in response.context["page"]] == [high.pk]
    shown = [str(m) for m in response.context["messages"]]
    assert any("权力运行环节" in m for m in shown), shown


def test_riskpoint_page_refuses_a_nul_byte_in_the_search(org):
    assert page_client(org.clerk).get(reverse("riskpoints:list"), {"q": NUL}).status_code == 400


def test_a_form_post_with_a_nul_byte_is_refused(org, power):
    response = page_client(org.clerk).post(reverse("powerlist:power_edit", args=[power.pk]), {"name": NUL})
    assert response.status_code == 400


def test_a_nul_byte_in_the_path_is_refused(org):
    response = page_client(org.clerk).get("/review/powerlist.power%00/batch/")
    assert response.status_code == 400


# ------------------------------------------------------------------ integers that reach a column

def test_flowchart_content_refuses_a_time_limit_past_ten_years(org, power):
    chart = linear(power, ["受理", "决定"])
    steps = [{"key": str(step.pk), "name": step.name, "post_id": step.post_id,
              "time_limit_days": 2_147_483_648 if i == 0 else 5, "is_final": i == 1}
             for i, step in enumerate(chart.steps.order_by("order"))]
    transitions = [{"source": steps[0]["key"], "target": steps[1]["key"]}]
    response = api(org.clerk).put(f"/api/v1/flowcharts/{chart.pk}/content/",
                                  {"version": chart.version, "steps": steps, "transitions": transitions},
                                  format="json")
    assert response.status_code == 400
    assert "time_limit_days" in str(response.json())
    assert not chart.steps.filter(time_limit_days__gt=3650).exists()


def test_riskpoint_api_refuses_an_expert_id_out_of_range(org, power):
    riskpoint = RiskPointFactory(power=power)
    response = api(org.office_reviewer).post(f"/api/v1/riskpoints/{riskpoint.pk}/experts/",
                                             {"experts": [int(HUGE)]}, format="json")
    assert response.status_code in (400, 404)
    assert RiskPoint.objects.get().expert_assignments.count() == 0


# ------------------------------------------------------------------ the schema says the bounds

@pytest.fixture
def openapi(org):
    client = api(org.clerk)
    return client.get("/api/schema/", {"format": "json"}).json()


def test_every_list_filter_is_typed_and_bounded_in_the_schema(openapi):
    """Ids 1 … 2^63 − 1, text capped, choices listed: what schema-driven clients (and
    schemathesis) send is what the filters accept."""
    loose = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] != "query" or parameter["name"] == "page":
                    continue
                if schema.get("type") == "integer" and (schema.get("minimum"), schema.get("maximum")) != (1, 2**63 - 1):
                    loose.append((method, path, parameter["name"], schema))
                if schema.get("type") == "string" and "enum" not in schema and schema.get("maxLength") is None:
                    loose.append((method, path, parameter["name"], schema))
    assert not loose, loose


def test_no_detail_operation_documents_list_filters(openapi):
    stray = [(method, path, [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"])
             for path, operations in openapi["paths"].items() if "{" in path
             for method, operation in operations.items()
             if any(p["in"] == "query" and p["name"] not in ("version", "format") for p in operation.get("parameters", []))]
    assert not stray, stray


def test_every_operation_documents_its_error_answers(openapi):
    missing = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "403", "404"} | ({"409"} if method in ("put", "patch", "post") and "{" in path else set())
            if not expected <= set(operation["responses"]):
                missing.append((method, path, sorted(expected - set(operation["responses"]))))
    assert not missing, missing


def test_power_page_keeps_the_good_filters_and_names_the_bad_one(org):
    retained = PowerFactory(department=org.dept, division=org.division, disposition="retain")
    PowerFactory(department=org.dept, division=org.division, disposition="cancel", disposition_reason="已取消")
    response = page_client(org.clerk).get(reverse("powerlist:power_list"),
                                          {"disposition": "retain", "category": "abc", "q": "x" * 300})
    assert response.status_code == 200
    assert [power.pk for power in response.context["page"]] == [retained.pk]
    shown = [str(m) for m in response.context["messages"]]
    assert any("职权类别" in m for m in shown) and any("搜索" in m for m in shown), shown
