"""Issue 14, item 2, and issue 9's catalogue: /powers/catalogue/ is the confirmed directory
(the version in force with every catalogue field, items with a revision under review
marked), paged by category at a constant number of queries; the working copies apart."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from powerlist.catalogue.services import power_update
from powerlist.catalogue.views.catalogue import CATALOGUE_PAGE_SIZE
from powerlist.review.engine import review_start_revision, review_submit
from tests.powerlist.factories import AccountabilityCircumstanceFactory, CategoryFactory, PowerFactory, SubItemFactory
from tests.powerlist.helpers import confirm

pytestmark = pytest.mark.django_db


def _confirmed(org, **fields):
    power = PowerFactory(department=org.dept, division=org.division, **fields)
    AccountabilityCircumstanceFactory(power=power, text="不在法定期限内作出决定的。")
    return confirm(org, power)


def test_catalogue_shows_the_version_in_force_next_to_a_revision_under_review(client, org):
    power = _confirmed(org, name="企业投资项目核准", promised_limit_days=14, responsible_leader="分管副主任",
                       service_commitment="一次性告知。", work_discipline="不得索取财物。")
    power = review_start_revision(user=org.clerk, obj=power)
    power = power_update(user=org.clerk, power=power, data={"promised_limit_days": 10, "name": "企业投资项目核准(修订)"})
    review_submit(user=org.clerk, obj=power)
    PowerFactory(department=org.dept, division=org.division, name="从未确认的草稿")
    client.force_login(org.clerk)

    response = client.get("/powers/catalogue/")

    body = response.content.decode()
    row = response.context["rows"][0]
    assert [r["data"]["name"] for r in response.context["rows"]] == ["企业投资项目核准"]
    assert row["mark"] == "under_review" and "有修订正在审核" in body
    assert row["data"]["promised_limit_days"] == 14 and "14" in body and "企业投资项目核准(修订)" not in body
    assert "从未确认的草稿" not in body
    for text in ("分管副主任", "一次性告知。", "不得索取财物。", "决定责任", "依法受理、审查并作出决定。",
                 "不在法定期限内作出决定的。", "《中华人民共和国行政许可法》第四十二条"):
        assert text in body, text

    working = client.get("/powers/catalogue/working/").content.decode()
    assert "企业投资项目核准(修订)" in working and "从未确认的草稿" in working


def test_catalogue_shows_sub_items_in_force_under_their_main_item(client, org):
    main = PowerFactory(department=org.dept, division=org.division, name="企业投资项目核准", conditions="符合产业政策。")
    sub = SubItemFactory(parent=main, name="新建项目核准")
    main, sub = confirm(org, main), confirm(org, sub)
    client.force_login(org.clerk)
    row = client.get("/powers/catalogue/").context["rows"][0]
    assert [s["data"]["name"] for s in row["subs"]] == ["新建项目核准"]
    # Resolved against the main item's version in force.
    assert row["subs"][0]["data"]["conditions"] == "符合产业政策。"
    assert "conditions" in row["subs"][0]["data"]["inherited"]


def test_catalogue_pages_one_category_at_a_time(client, org):
    penalty = CategoryFactory(code="CF", name="行政处罚", short_name="处罚", order=30)
    licences = [_confirmed(org) for _ in range(CATALOGUE_PAGE_SIZE + 1)]
    _confirmed(org, category=penalty, name="价格违法行为处罚")
    client.force_login(org.clerk)

    first = client.get("/powers/catalogue/")
    assert [(c.name, n) for c, n in first.context["categories"]] == [("行政许可", CATALOGUE_PAGE_SIZE + 1),
                                                                      ("行政处罚", 1)]
    assert len(first.context["rows"]) == CATALOGUE_PAGE_SIZE
    second = client.get("/powers/catalogue/", {"category": licences[0].category_id, "page": 2})
    assert len(second.context["rows"]) == 1
    other = client.get("/powers/catalogue/", {"category": penalty.pk})
    assert [r["data"]["name"] for r in other.context["rows"]] == ["价格违法行为处罚"]
    # A mangled query string shows the user's own catalogue.
    assert client.get("/powers/catalogue/", {"category": "abc", "department": "-1"}).status_code == 200


@pytest.mark.parametrize("path", ["/powers/catalogue/", "/powers/catalogue/working/"])
def test_catalogue_query_count_does_not_grow_with_the_items(client, org, path):
    client.force_login(org.clerk)
    counts = []
    for n in (2, 8):
        for _ in range(n):
            main = _confirmed(org)
            confirm(org, SubItemFactory(parent=main))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_catalogue_of_another_department_shows_nothing_out_of_scope(client, org):
    _confirmed(org, name="企业投资项目核准")
    client.force_login(org.other_clerk)
    response = client.get("/powers/catalogue/", {"department": org.dept.pk})
    assert response.status_code == 200 and response.context["rows"] == []
    assert "企业投资项目核准" not in response.content.decode()
