"""The open data API: public, read-only, only published content, fixed query counts,
clear 400/404/429 answers, its own valid public schema."""

import os

import pytest
from django.core.cache import cache
from drf_spectacular.validation import validate_schema

from disclosure.services import publication_create
from tests.disclosure.factories import confirmed_power, record_non_disclosure, revise_and_confirm
from tests.disclosure.conftest import CANARY_NAMES

pytestmark = pytest.mark.django_db
API = "/api/open/v1"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_regions_departments_and_categories_list_only_what_was_published(client, org, published):
    regions = client.get(f"{API}/regions/").json()
    assert regions["count"] == 1
    assert regions["results"] == [{"code": "210000", "name": "辽宁省", "level": "province", "parent_code": None,
                                   "url": f"{API}/regions/210000/"}]
    departments = client.get(f"{API}/departments/").json()["results"]
    assert [(d["name"], d["region_code"], d["current_publication"]["number"], d["current_publication"]["power_count"])
            for d in departments] == [("发展改革委", "210000", 1, 4)]
    assert departments[0]["powers_url"] == f"{API}/powers/?department={org.dept.pk}"
    categories = client.get(f"{API}/categories/").json()["results"]
    assert [c["code"] for c in categories] == ["XK", "CF", "JF"]
    assert client.get(f"{API}/regions/210100/").status_code == 404  # the city published nothing


def test_a_category_whose_only_power_was_withheld_after_publication_is_not_listed(client, org, published):
    record_non_disclosure(org, published.allowance)  # the only JF power
    assert [c["code"] for c in client.get(f"{API}/categories/").json()["results"]] == ["XK", "CF"]


def test_power_list_holds_the_published_powers_and_no_canary(client, published):
    body = client.get(f"{API}/powers/").json()
    assert body["count"] == 4
    assert [(p["code"], p["name"], p["category_code"], p["version"]) for p in body["results"]] == [
        ("210000-CF-001", "对不执行政府定价行为的行政处罚", "CF", 1),
        ("210000-JF-001", "最低生活保障金给付", "JF", 1),
        ("210000-XK-001", "企业投资项目核准", "XK", 1),
        # Confirmed before its revision went into review: the confirmed name, never the draft's.
        ("210000-XK-CANARY2", "建设工程消防设计审查", "XK", 1),
    ]
    first = body["results"][0]
    assert first["url"] == f"{API}/powers/210000/210000-CF-001/versions/1/"
    assert first["page_url"] == "/p/210000/210000-CF-001/v1/"
    assert first["publication_number"] == 1 and first["is_current"] is True
    assert [p["code"] for p in client.get(f"{API}/powers/", {"category": "XK"}).json()["results"]] == [
        "210000-XK-001", "210000-XK-CANARY2"]
    assert client.get(f"{API}/powers/", {"region": "210100"}).json()["count"] == 0


def test_power_detail_carries_fields_and_the_flowchart_outline_and_svg(client, published):
    body = client.get(f"{API}/powers/210000/210000-XK-001/").json()
    assert body["name"] == "企业投资项目核准"
    assert body["content"]["category"] == "行政许可"
    assert "flowchart" not in body["content"]
    outline = body["flowchart"]["outline"]
    assert [(s["name"], s["post"], s["time_limit_days"]) for s in outline] == [
        ("受理", "受理岗", 1), ("审查", "审查岗", 10), ("决定", "决定岗", 3)]
    assert [n["to"] for n in outline[0]["next"]] == ["审查"]
    assert body["flowchart"]["svg_url"] == f"{API}/powers/210000/210000-XK-001/versions/1/flowchart.svg"
    svg = client.get(body["flowchart"]["svg_url"])
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content
    # The penalty has no flowchart: null, and its SVG address is a 404.
    assert client.get(f"{API}/powers/210000/210000-CF-001/").json()["flowchart"] is None
    assert client.get(f"{API}/powers/210000/210000-CF-001/versions/1/flowchart.svg").status_code == 404


def test_every_version_keeps_its_address(org, client, published, django_capture_on_commit_callbacks):
    revise_and_confirm(org, published.licence, promised_limit_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        publication_create(user=org.dept_reviewer, department=org.dept, note="缩短承诺时限。")
    versions = client.get(f"{API}/powers/210000/210000-XK-001/versions/").json()
    assert [(v["version"], v["publication_number"]) for v in versions] == [(2, 2), (1, 1)]
    assert client.get(f"{API}/powers/210000/210000-XK-001/").json()["content"]["promised_limit_days"] == 5
    old = client.get(f"{API}/powers/210000/210000-XK-001/versions/1/").json()
    assert old["version"] == 1 and old["content"]["promised_limit_days"] != 5 and old["is_current"] is False
    publications = client.get(f"{API}/publications/").json()["results"]
    assert [(p["number"], p["state"], p["changed_count"]) for p in publications] == [
        (2, "current", 1), (1, "superseded", 0)]


def test_canaries_are_in_no_answer_of_the_api(client, published):
    for path in ("/regions/", "/departments/", "/categories/", "/powers/", "/publications/",
                 "/powers/?page_size=200", "/powers/210000/210000-XK-CANARY2/",
                 "/powers/210000/210000-XK-CANARY2/versions/"):
        body = client.get(API + path).content.decode()
        for name in CANARY_NAMES:  # draft, under review, returned, withheld by the register
            assert name not in body, (path, name)
    # Never confirmed, or withheld by a recorded non-disclosure entry: never published.
    for code in ("210000-XK-CANARY1", "210000-XK-CANARY3", "210000-XK-CANARY4"):
        assert client.get(f"{API}/powers/210000/{code}/").status_code == 404
        assert client.get(f"{API}/powers/210000/{code}/versions/").status_code == 404


@pytest.mark.parametrize("path, field", [
    ("/powers/?region=21", "region"), ("/powers/?department=abc", "department"),
    ("/powers/?department=99999999999999999999", "department"), ("/powers/?level=planet", "level"),
    ("/powers/?category=%E8%AE%B8%E5%8F%AF", "category"), ("/powers/?status=open", "status"),
    ("/departments/?region=abcdef", "region"), ("/publications/?department=0", "department"),
])
def test_a_bad_filter_is_a_400_naming_it(client, published, path, field):
    response = client.get(API + path)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("path", [
    "/powers/?page=99", "/powers/210000/nothing/", "/powers/210000/210000-XK-001/versions/7/",
    "/powers/210000/210000-XK-001/versions/99999999999/", "/departments/99999999999999999999/",
    "/departments/999999/", "/regions/999999/", "/nothing/",
])
def test_unknown_items_are_a_json_404(client, published, path):
    response = client.get(API + path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_the_api_is_read_only(client, published):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(f"{API}/powers/", {}).status_code == 405


def test_a_signed_in_user_gets_the_same_public_answer(client, org, published):
    anonymous = client.get(f"{API}/powers/").json()
    client.force_login(org.clerk)
    assert client.get(f"{API}/powers/").json() == anonymous


def test_lists_cost_a_fixed_number_of_queries(org, client, published, django_assert_max_num_queries,
                                              django_capture_on_commit_callbacks):
    lists = ("/regions/", "/departments/", "/categories/", "/powers/", "/publications/",
             "/powers/210000/210000-XK-001/versions/", "/powers/210000/210000-XK-001/")
    limits = {"/departments/": 3, "/powers/210000/210000-XK-001/": 1, "/powers/210000/210000-XK-001/versions/": 1}
    for path in lists:
        with django_assert_max_num_queries(limits.get(path, 2)):
            assert client.get(API + path).status_code == 200
    # Eight more powers, a city department and a second publication of the province's.
    for n in range(6):
        confirmed_power(org, name=f"测试许可事项{n}", code=f"210000-XK-1{n:02d}")
    for n in range(2):
        confirmed_power(org, name=f"沈阳市确认事项{n}", code=f"210100-QR-2{n:02d}", category_code="QR",
                        department=org.city_dept)
    with django_capture_on_commit_callbacks(execute=True):
        publication_create(user=org.dept_reviewer, department=org.dept, note="新增六项。")
        publication_create(user=org.city_reviewer, department=org.city_dept, note="首次公开。")
    assert client.get(f"{API}/powers/").json()["count"] == 12
    for path in lists:
        with django_assert_max_num_queries(limits.get(path, 2)):
            assert client.get(API + path).status_code == 200


def test_open_schema_is_public_valid_and_holds_only_the_open_api(client, published):
    response = client.get("/api/open/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    paths = set(schema["paths"])
    assert "/api/open/v1/powers/{region_code}/{code}/versions/{version}/flowchart.svg" in paths
    assert all(p.startswith("/api/open/") for p in paths)
    assert "429" in schema["paths"]["/api/open/v1/powers/"]["get"]["responses"]
    assert client.get("/api/open/docs/").status_code == 200
    # …and the staff schema (signed in) leaves the open API out.
    client.force_login(published.publication.publisher)
    staff = client.get("/api/schema/", {"format": "json"}).json()
    assert not [p for p in staff["paths"] if p.startswith("/api/open/")]
    assert "/api/v1/powers/" in staff["paths"]


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8")


def test_a_client_over_its_rate_gets_a_429_in_chinese_with_retry_after(client, settings, published):
    """Counted in Redis (the shared cache of every worker), per client address."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": TEST_REDIS_URL}}
    cache.clear()
    settings.API_THROTTLE_ENABLED = True
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "open_data": "3/min"}
    for _ in range(3):
        assert client.get(f"{API}/categories/", REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(f"{API}/powers/", REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("请求过于频繁")
    assert "3/min" in refused.json()["detail"]
    # Signing in does not lift it (counted by address), and another client is not affected.
    assert client.get(f"{API}/powers/", REMOTE_ADDR="203.0.113.8").status_code == 200
    from django.core.cache import caches
    assert any(b"throttle_open_data" in k for k in caches["default"]._cache.get_client().keys("*"))
    cache.clear()
