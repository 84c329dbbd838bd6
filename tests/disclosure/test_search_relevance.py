"""Thirty queries a citizen types, with the results a citizen would judge right, written
out by hand over a small province of realistically named powers. Runs on SQLite (LIKE)
and on PostgreSQL (the bigram tsvector) alike."""

import pytest

from disclosure.selectors import search
from disclosure.services import publication_create
from powerlist.catalogue.services import power_freeze_revision
from powerlist.models import Department
from powerlist.org.roles import Role
from powerlist.review.models import ReviewState
from tests.disclosure.factories import category
from tests.powerlist.factories import DepartmentFactory, DivisionFactory, PowerFactory, make_user

# (department, code, name, category, law)
PROVINCE = [
    ("发展改革委", "210000-XK-001", "企业投资项目核准", "XK", "《企业投资项目核准和备案管理条例》"),
    ("发展改革委", "210000-XK-002", "固定资产投资项目节能审查", "XK", "《中华人民共和国节约能源法》"),
    ("发展改革委", "210000-CF-001", "对不执行政府定价行为的行政处罚", "CF", "《中华人民共和国价格法》"),
    ("住房城乡建设厅", "210000-XK-004", "建设工程规划许可证核发", "XK", "《中华人民共和国城乡规划法》"),
    ("住房城乡建设厅", "210000-XK-005", "建筑工程施工许可证核发", "XK", "《中华人民共和国建筑法》"),
    ("住房城乡建设厅", "210000-CF-002", "对未取得施工许可证擅自施工的行政处罚", "CF", "《建设工程质量管理条例》"),
    ("住房城乡建设厅", "210000-JF-003", "住房公积金提取", "JF", "《住房公积金管理条例》"),
    ("环保厅", "210000-XK-007", "排污许可证核发", "XK", "《排污许可管理条例》"),
    ("环保厅", "210000-CF-003", "对超标排放污染物的行政处罚", "CF", "《中华人民共和国大气污染防治法》"),
    ("环保厅", "210000-XK-009", "建设项目环境影响评价文件审批", "XK", "《中华人民共和国环境影响评价法》"),
    ("人力资源社会保障厅", "210000-QR-001", "社会保险登记", "QR", "《中华人民共和国社会保险法》"),
    ("人力资源社会保障厅", "210000-QR-002", "社会保险待遇核定", "QR", "《中华人民共和国社会保险法》"),
    ("人力资源社会保障厅", "210000-JF-001", "失业保险金给付", "JF", "《失业保险条例》"),
    ("人力资源社会保障厅", "210000-CF-004", "对用人单位未依法缴纳社会保险费的行政处罚", "CF", "《社会保险费征缴暂行条例》"),
    ("民政厅", "210000-JF-002", "最低生活保障金给付", "JF", "《社会救助暂行办法》"),
    ("民政厅", "210000-XK-014", "社会团体成立登记", "XK", "《社会团体登记管理条例》"),
    ("水利厅", "210000-XK-016", "取水许可", "XK", "《取水许可和水资源费征收管理条例》"),
    ("交通厅", "210000-XK-017", "道路运输经营许可", "XK", "《中华人民共和国道路运输条例》"),
    ("卫生健康委", "210000-XK-019", "医疗机构执业许可", "XK", "《医疗机构管理条例》"),
]
CITY = [
    ("沈阳市住房城乡建设局", "210100-XK-005", "建筑工程施工许可证核发", "XK", "《中华人民共和国建筑法》"),
    ("沈阳市民政局", "210100-JF-002", "最低生活保障金给付", "JF", "《社会救助暂行办法》"),
]


@pytest.fixture
def province(org):
    departments = {}
    for region, rows in ((org.province, PROVINCE), (org.city, CITY)):
        for dept_name, code, name, cat, law in rows:
            if dept_name not in departments:
                dept = Department.objects.filter(region=region, name=dept_name).first()
                if dept is None:
                    dept = DepartmentFactory(region=region, name=dept_name)
                    DivisionFactory(department=dept, name="综合处")
                departments[dept_name] = (dept, make_user(Role.DEPARTMENT_REVIEWER, dept))
            dept = departments[dept_name][0]
            power = PowerFactory(department=dept, division=dept.divisions.first(), code=code, name=name,
                                 category=category(cat), state=ReviewState.CONFIRMED, basis__law_name=law,
                                 basis__article="", basis__text="", duty__text="依法办理。")
            power_freeze_revision(power=power)
    for dept, reviewer in departments.values():
        publication_create(user=reviewer, department=dept, note="首次公开。")
    return org


def names(q, **filters):
    result = search(q, filters)
    if not result["matched"]:
        return None
    return [(row.code, row.name) for row in result["page"]]


def codes(q, **filters):
    found = names(q, **filters)
    return None if found is None else [c for c, _n in found]


PERMIT_NAME_HITS = [  # every power with 许可 in its name, by code
    "210000-CF-002", "210000-XK-004", "210000-XK-005", "210000-XK-007", "210000-XK-016", "210000-XK-017",
    "210000-XK-019", "210100-XK-005",
]

CASES = [
    # (query, filters, expected codes in order)
    ("社会保险", {}, ["210000-CF-004", "210000-QR-001", "210000-QR-002"]),
    ("低保", {}, ["210000-JF-002", "210100-JF-002"]),
    ("排污", {}, ["210000-CF-003", "210000-XK-007"]),
    ("施工许可", {}, ["210000-CF-002", "210000-XK-005", "210100-XK-005"]),
    ("环评", {}, ["210000-XK-009"]),
    # 住房公积金提取 is a 行政给付 item: after the names with 给付.
    ("给付", {}, ["210000-JF-001", "210000-JF-002", "210100-JF-002", "210000-JF-003"]),
    ("航天", {}, []),
    ("社会 登记", {}, ["210000-QR-001", "210000-XK-014"]),
    ("核发", {}, ["210000-XK-004", "210000-XK-005", "210000-XK-007", "210100-XK-005"]),
    ("公积金", {}, ["210000-JF-003"]),
    ("医疗机构", {}, ["210000-XK-019"]),
    ("取水", {}, ["210000-XK-016"]),
    ("道路运输", {}, ["210000-XK-017"]),
    ("节能", {}, ["210000-XK-002"]),
    ("政府定价", {}, ["210000-CF-001"]),
    ("失业", {}, ["210000-JF-001"]),
    ("社会团体", {}, ["210000-XK-014"]),
    ("许可证核发", {}, ["210000-XK-004", "210000-XK-005", "210000-XK-007", "210100-XK-005"]),
    ("待遇", {}, ["210000-QR-002"]),
    ("企业投资", {}, ["210000-XK-001"]),
    ("210100-XK-005", {}, ["210100-XK-005"]),
    ("环境影响评价", {}, ["210000-XK-009"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("q", "filters", "expected"), CASES, ids=[c[0] for c in CASES])
def test_query_finds_what_a_citizen_expects(province, q, filters, expected):
    assert codes(q, **filters) == expected


@pytest.mark.django_db
def test_permit_puts_every_name_hit_before_body_hits(province):
    # 许可 is also in every 行政许可 item's category: those come after the names with 许可.
    found = codes("许可")
    assert found[:len(PERMIT_NAME_HITS)] == PERMIT_NAME_HITS
    assert set(found[len(PERMIT_NAME_HITS):]) == {"210000-XK-001", "210000-XK-002", "210000-XK-009",
                                                   "210000-XK-014"}


@pytest.mark.django_db
def test_exact_code_comes_first(province):
    # The code 210000-XK-005 also names the city item's part "XK" and "005": exact first.
    assert codes("210000-XK-005")[0] == "210000-XK-005"


@pytest.mark.django_db
def test_code_search_is_case_insensitive(province):
    assert codes("210000-xk-017") == ["210000-XK-017"]


@pytest.mark.django_db
def test_level_filter_keeps_city_items(province):
    assert codes("施工许可", level="city") == ["210100-XK-005"]


@pytest.mark.django_db
def test_region_filter(province):
    assert codes("低保", region=province.city.pk) == ["210100-JF-002"]


@pytest.mark.django_db
def test_department_facet_counts(province):
    facets = search("许可")["facets"]
    by_name = {name: n for _id, name, n in facets["department"]}
    assert by_name["住房城乡建设厅"] == 3
    assert by_name["沈阳市住房城乡建设局"] == 1
    assert {name: n for _id, name, n in facets["region"]} == {"辽宁省": 11, "沈阳市": 1}


@pytest.mark.django_db
def test_a_query_of_punctuation_only_asks_nothing(province):
    assert names("!!!") is None
    assert names("   ") is None


@pytest.mark.django_db
def test_highlight_marks_the_query_in_the_name(province, client):
    body = client.get("/search/", {"q": "排污"}).content.decode()
    assert "<mark>排污</mark>许可证核发" in body
