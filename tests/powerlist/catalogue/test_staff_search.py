"""The staff power lists use the portal's search (powerlist.search): terms cut into
bigrams, all terms required, codes split on their separators; on PostgreSQL a stored
tsvector column generated in SQL from name and code, with a capped count on the list."""

import pytest
from django.db import connection

from powerlist.catalogue.selectors import power_adoption_sources, power_list
from powerlist.models import Power
from powerlist.search import text_tokens
from tests.powerlist.factories import PowerFactory

NAMES = [
    ("210000-XK-004", "建设工程规划许可证核发"),
    ("210000-XK-005", "建筑工程施工许可证核发"),
    ("210000-CF-002", "对未取得施工许可证擅自施工的行政处罚"),
    ("210000-QR-001", "社会保险登记"),
    ("210000-XK-014", "社会团体成立登记"),
    ("210000-JF-002", "最低生活保障金给付"),
]


@pytest.fixture
def powers(org):
    return {code: PowerFactory(department=org.dept, division=org.division, code=code, name=name)
            for code, name in NAMES}


def found(user, q):
    return [p.code for p in power_list(user=user, filters={"q": q}).order_by("code")]


@pytest.mark.django_db
@pytest.mark.parametrize(("q", "expected"), [
    ("施工许可", ["210000-CF-002", "210000-XK-005"]),
    ("许可证核发", ["210000-XK-004", "210000-XK-005"]),
    ("社会 登记", ["210000-QR-001", "210000-XK-014"]),  # both terms, anywhere in the name
    ("登记 社会", ["210000-QR-001", "210000-XK-014"]),
    ("低保", ["210000-JF-002"]),  # the everyday word finds the official name
    ("210000-XK-005", ["210000-XK-005"]),
    ("210000-xk-005", ["210000-XK-005"]),
    ("航天", []),
    ("保险登", ["210000-QR-001"]),
])
def test_staff_list_search_finds_what_the_portal_would(org, powers, q, expected):
    assert found(org.clerk, q) == expected


@pytest.mark.django_db
def test_a_query_without_letters_or_characters_lists_everything(org, powers):
    assert len(found(org.clerk, "!!!")) == len(NAMES)


@pytest.mark.django_db
def test_the_search_column_follows_every_write_of_the_name(org, powers):
    # update() and bulk_update() skip save(): the generated column still follows.
    Power.objects.filter(code="210000-XK-014").update(name="民办非企业单位成立登记")
    power = Power.objects.get(code="210000-QR-001")
    power.name = "工伤保险待遇核定"
    Power.objects.bulk_update([power], ["name"])
    assert found(org.clerk, "社会 登记") == []
    assert found(org.clerk, "民办非企业") == ["210000-XK-014"]
    assert found(org.clerk, "工伤") == ["210000-QR-001"]


@pytest.mark.django_db
def test_search_keeps_the_readers_scope(org, powers):
    PowerFactory(department=org.other_dept, division=org.other_dept_division, code="210000-XK-099",
                 name="另一部门的施工许可")
    assert found(org.clerk, "施工许可") == ["210000-CF-002", "210000-XK-005"]
    assert found(org.other_clerk, "施工许可") == ["210000-XK-099"]


@pytest.mark.django_db
def test_adoption_sources_use_the_same_search(org):
    from powerlist.review.models import ReviewState

    PowerFactory(department=org.dept, division=org.division, code="210000-XK-201", name="取水许可",
                 state=ReviewState.CONFIRMED)
    PowerFactory(department=org.dept, division=org.division, code="210000-XK-202", name="水利工程建设许可",
                 state=ReviewState.CONFIRMED)
    sources = power_adoption_sources(department=org.city_dept, q="取水")
    assert [p.code for p in sources] == ["210000-XK-201"]


@pytest.mark.django_db
def test_the_list_page_caps_its_count_when_searching(client, org, powers, monkeypatch):
    monkeypatch.setattr("powerlist.catalogue.views.powers.SEARCH_COUNT_CAP", 2)
    client.force_login(org.clerk)
    body = client.get("/powers/", {"q": "许可"}).content.decode()
    assert "超过 2 项" in body
    body = client.get("/powers/", {"q": "登记"}).content.decode()
    assert "共 2 项" in body and "超过" not in body
    body = client.get("/powers/").content.decode()
    assert f"共 {len(NAMES)} 项" in body


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search column exists on PostgreSQL only")
@pytest.mark.parametrize("text", [
    "建设工程规划许可证核发", "210000-XK-005", "对《中华人民共和国建筑法》第七条", "许", "ISO9001认证 a1b2 C3",
    "社会保险法第58条", "", "!!!", "㐀丽豈",
    # Runs side by side, single characters between runs, separators at both ends.
    "ab社会12许x", "许a许", "  社会 ", "-XK-", "社会\n保险\t登记", "Ａ全角ＡB", "\u212a开尔文K", "İstanbul许可",
    "鿿一豈﫿㐀䶿", "\u33ff\u4dc0\ufb00许可", "😀许可😀证", "两字"])
def test_the_sql_cut_is_the_python_cut(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT powerlist_search_tokens(%s)", [text])
        assert cursor.fetchone()[0] == " ".join(text_tokens(text))


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search column exists on PostgreSQL only")
def test_the_sql_cut_is_the_python_cut_on_generated_text():
    """Migration 0013 cut the tokens with regular-expression replacements instead of
    0012's rows of matches: any text mixing Chinese (at the ranges' edges too), ASCII,
    full-width forms, separators and other scripts must still give the Python cut."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("社会保险许可证一鿿豈﫿㐀䶿AbZz09 -_.\n\t,。《》Ａ１\u212aİßé\u3000") + [
        "\u33ff", "\u4dc0", "\u9fff", "\ufb00", "\U0001f600", "\U00020000"])

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.text(alphabet=alphabet, max_size=30))
    def check(text):
        with connection.cursor() as cursor:
            cursor.execute("SELECT powerlist_search_tokens(%s)", [text])
            assert cursor.fetchone()[0] == " ".join(text_tokens(text))

    check()
