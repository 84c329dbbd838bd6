"""The public search table (disclosure.search_models.PublicSearchEntry): it holds exactly
the current published rows, publication keeps it current in the same transaction, pages
follow the ranking across page boundaries, and a search costs a fixed number of queries
(one for count and facets together on PostgreSQL)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import PublicSearchEntry, PublishedPower
from disclosure.selectors import search
from disclosure.services import publication_create
from powerlist.catalogue.services import power_freeze_revision
from powerlist.org.roles import Role
from powerlist.review.models import ReviewState
from tests.disclosure.factories import category, revise_and_confirm
from tests.powerlist.factories import DepartmentFactory, DivisionFactory, PowerFactory, make_user


def codes(q, page=1, **filters):
    return [row.code for row in search(q, filters, page)["page"]]


@pytest.mark.django_db
def test_the_table_holds_exactly_the_current_rows(org, published, django_capture_on_commit_callbacks):
    def entries():
        return set(PublicSearchEntry.objects.values_list("published_id", flat=True))

    assert entries() == set(PublishedPower.objects.filter(is_current=True).values_list("id", flat=True))
    assert len(entries()) == 4
    revise_and_confirm(org, published.licence, name="企业投资项目备案")
    with django_capture_on_commit_callbacks(execute=True):
        second = publication_create(user=org.dept_reviewer, department=org.dept, note="改名。")
    assert entries() == set(PublishedPower.objects.filter(publication=second).values_list("id", flat=True))
    assert codes("核准") == []
    assert codes("备案") == ["210000-XK-001"]
    entry = PublicSearchEntry.objects.get(code="210000-XK-001")
    assert (entry.code_key, entry.level, entry.department_id) == ("210000-xk-001", "province", org.dept.pk)


@pytest.fixture
def many(org):
    """15 powers with 许可 in the name (odd codes) and 12 whose only 许可 is their
    category 行政许可 (even codes), interleaved by code."""
    dept = DepartmentFactory(region=org.province, name="交通运输厅")
    DivisionFactory(department=dept, name="综合处")
    for i in range(1, 28):
        name = f"道路运输许可{i}" if i % 2 else f"道路运输审批{i}"
        power = PowerFactory(department=dept, division=dept.divisions.first(), code=f"210000-XK-{i:03d}", name=name,
                             category=category("XK"), state=ReviewState.CONFIRMED, duty__text="依法办理。")
        power_freeze_revision(power=power)
    publication_create(user=make_user(Role.DEPARTMENT_REVIEWER, dept), department=dept, note="首次公开。")
    return dept


@pytest.mark.django_db
def test_pages_follow_the_ranking_across_the_page_boundary(many):
    name_hits = [f"210000-XK-{i:03d}" for i in range(1, 28, 2)]
    body_hits = [f"210000-XK-{i:03d}" for i in range(2, 28, 2)]
    assert codes("许可") == name_hits + body_hits[:6]
    assert codes("许可", page=2) == body_hits[6:]
    result = search("许可")
    assert (result["count"], result["capped"]) == (27, False)
    assert result["page"].paginator.num_pages == 2
    # An exact code comes first, even before the name hits.
    assert codes("210000-XK-026")[0] == "210000-XK-026"
    assert codes("审批", department=many.pk) == body_hits[:20]


@pytest.mark.django_db
def test_count_and_facets_are_capped(many, monkeypatch):
    monkeypatch.setattr("disclosure.selectors.COUNT_CAP", 5)
    monkeypatch.setattr("disclosure.selectors.FACET_CAP", 10)
    result = search("许可")
    assert (result["count"], result["capped"]) == (5, True)
    assert result["facets"]["capped"] is True
    assert [(name, n) for _id, name, n in result["facets"]["department"]] == [("交通运输厅", 10)]
    assert [(level, n) for level, _l, n in result["facets"]["level"]] == [("province", 10)]
    monkeypatch.setattr("disclosure.selectors.COUNT_CAP", 1000)
    monkeypatch.setattr("disclosure.selectors.FACET_CAP", 5000)
    result = search("许可")
    assert (result["count"], result["capped"], result["facets"]["capped"]) == (27, False, False)
    assert [(name, n) for _id, name, n in result["facets"]["category"]] == [("行政许可", 27)]
    # The level facet names the level as the page shows it (it showed "province" on PostgreSQL).
    assert result["facets"]["level"] == [("province", "省级", 27)]


@pytest.mark.django_db
def test_a_search_costs_a_fixed_number_of_queries(many, django_assert_num_queries, monkeypatch):
    # PostgreSQL: one statement for count, facets and the page with its rows, below the
    # cap and past it; a page number past the last page shows the last page, which takes
    # two queries more (its ids, its rows).
    # SQLite: count, 'more than the facet cap', four facets, the page.
    pg = connection.vendor == "postgresql"
    for page in (1, 2):
        with django_assert_num_queries(1 if pg else 7):
            assert len(list(search("许可", page=page)["page"])) == (20 if page == 1 else 7)
    with django_assert_num_queries(3 if pg else 7):
        assert [row.code for row in search("许可", page=9)["page"]] == [f"210000-XK-{i:03d}" for i in
                                                                       range(14, 27, 2)]
    # Page 0, a negative page and junk show the first page, at the first page's cost.
    for page in (0, -3, "x", None):
        with django_assert_num_queries(1 if pg else 7):
            result = search("许可", page=page)
            assert result["page"].number == 1 and len(list(result["page"])) == 20
    monkeypatch.setattr("disclosure.selectors.COUNT_CAP", 5)
    monkeypatch.setattr("disclosure.selectors.FACET_CAP", 5)
    with django_assert_num_queries(1 if pg else 7):
        assert codes("许可") == [f"210000-XK-{i:03d}" for i in range(1, 10, 2)]


@pytest.mark.django_db
def test_the_search_page_costs_the_same_queries_for_one_hit_or_a_full_page(many, client):
    def queries(q):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/search/", {"q": q}).content.decode()
        return len(ctx.captured_queries), body

    one, body = queries("道路运输许可27")
    assert "210000-XK-027" in body and "210000-XK-001" not in body
    full, body = queries("许可")
    assert body.count("210000-XK-0") >= 20
    assert one == full


@pytest.fixture
def insurance(org):
    """Four powers named for 社会保险 (a phrase of three bigrams), one whose name holds the
    three bigrams apart (社会, 会保, 保险: no phrase) with the lowest code, and one that
    holds the phrase only in its legal basis."""
    dept = DepartmentFactory(region=org.province, name="人力资源社会保障厅")
    DivisionFactory(department=dept, name="综合处")
    rows = [("210000-QR-001", "社会团体会保管保险档案", "《档案法》"),
            *((f"210000-QR-00{i}", f"社会保险登记{i}", "《社会保险法》") for i in (5, 3, 2, 4)),
            ("210000-QR-006", "养老金发放", "《中华人民共和国社会保险法》")]
    for code, name, law in rows:
        power = PowerFactory(department=dept, division=dept.divisions.first(), code=code, name=name,
                             category=category("QR"), state=ReviewState.CONFIRMED, basis__law_name=law,
                             basis__article="", basis__text="", duty__text="依法办理。")
        power_freeze_revision(power=power)
    publication_create(user=make_user(Role.DEPARTMENT_REVIEWER, dept), department=dept, note="首次公开。")
    return dept


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["社会保险", "社保"])
def test_a_phrase_past_the_cap_pages_its_phrase_hits_by_code(insurance, monkeypatch, q):
    # Past the cap the page takes its own query; its name part reads the rows holding the
    # phrase's bigrams anywhere and checks the phrase on them in code order: the row
    # with 社会, 会保 and 保险 apart sorts first and must not show (社保 is a synonym).
    everything = ["210000-QR-002", "210000-QR-003", "210000-QR-004", "210000-QR-005", "210000-QR-006"]
    assert codes(q) == everything
    monkeypatch.setattr("disclosure.selectors.COUNT_CAP", 3)
    monkeypatch.setattr("disclosure.selectors.FACET_CAP", 3)
    result = search(q)
    assert (result["count"], result["capped"]) == (3, True)
    assert [row.code for row in result["page"]] == everything[:3]
    monkeypatch.setattr("disclosure.selectors.COUNT_CAP", 4)
    monkeypatch.setattr("disclosure.selectors.FACET_CAP", 4)
    monkeypatch.setattr("disclosure.selectors.PAGE_SIZE", 2)
    assert codes(q, page=2) == everything[2:4]
