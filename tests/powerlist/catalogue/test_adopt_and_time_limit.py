"""Two rough edges of issue 14: adoption from the level above never offers (or takes)
a cancelled item, and the promised-limit warning shows before confirmation (form,
power page while a draft, reviewers in review) but not on a confirmed item."""

import pytest
from django.core.exceptions import ValidationError

from powerlist.catalogue.services import power_adopt
from powerlist.models import Power
from powerlist.review.engine import review_approve, review_submit
from tests.powerlist.factories import PowerFactory
from tests.powerlist.helpers import confirm

pytestmark = pytest.mark.django_db

WARNING = "承诺时限应比法定时限至少压缩50%(不超过10个工作日)。"


def _body(response):
    return response.content.decode()


# --- Adoption -------------------------------------------------------------------


@pytest.fixture
def province_items(org):
    """Three confirmed province items: retained, adjusted and cancelled."""
    items = {}
    for code, name, disposition, reason in (
        ("210000-XK-00901", "企业投资项目核准", Power.Disposition.RETAIN, ""),
        ("210000-XK-00902", "外商投资项目核准", Power.Disposition.ADJUST, "依据国发〔2016〕72号调整"),
        ("210000-XK-00903", "招标代理机构资格认定", Power.Disposition.CANCEL, "依据国发〔2017〕46号取消"),
    ):
        power = PowerFactory(department=org.dept, division=org.division, code=code, name=name,
                             disposition=disposition, disposition_reason=reason)
        items[name] = confirm(org, power)
    return items


def test_adoption_page_never_offers_a_cancelled_item(client, org, province_items):
    client.force_login(org.city_clerk)
    page = client.get("/powers/adopt/")
    offered = [p.name for p in page.context["page"].object_list]
    assert offered == ["企业投资项目核准", "外商投资项目核准"]
    assert "招标代理机构资格认定" not in _body(page)


def test_search_on_the_adoption_page_does_not_find_a_cancelled_item(client, org, province_items):
    client.force_login(org.city_clerk)
    page = client.get("/powers/adopt/", {"q": "招标代理"})
    assert list(page.context["page"].object_list) == []


def test_a_cancelled_item_cannot_be_adopted_by_a_crafted_post(client, org, province_items):
    cancelled = province_items["招标代理机构资格认定"]
    client.force_login(org.city_clerk)
    response = client.post("/powers/adopt/", {"source": cancelled.pk}, follow=True)
    assert "上级已取消该事项,不能参照。" in _body(response)
    assert not Power.objects.filter(source=cancelled).exists()


def test_the_service_refuses_a_cancelled_source(org, province_items):
    with pytest.raises(ValidationError) as exc:
        power_adopt(user=org.city_clerk, department=org.city_dept, source=province_items["招标代理机构资格认定"])
    assert exc.value.messages == ["上级已取消该事项,不能参照。"]


# --- The promised-limit warning -----------------------------------------------------


@pytest.fixture
def slow(org):
    """A draft promising 15 of 20 statutory days where the province asks for 50% less."""
    org.province.promised_limit_reduction_percent = 50
    org.province.save()
    return PowerFactory(department=org.dept, division=org.division, statutory_limit_days=20, promised_limit_days=15)


def test_warning_on_the_power_page_of_a_draft(client, org, slow):
    client.force_login(org.clerk)
    assert WARNING in _body(client.get(f"/powers/{slow.pk}/"))


def test_warning_on_the_edit_form(client, org, slow):
    client.force_login(org.clerk)
    assert WARNING in _body(client.get(f"/powers/{slow.pk}/edit/"))


def test_no_warning_on_the_form_once_the_limit_is_short_enough(client, org):
    org.province.promised_limit_reduction_percent = 50
    org.province.save()
    power = PowerFactory(department=org.dept, division=org.division, statutory_limit_days=20, promised_limit_days=10)
    client.force_login(org.clerk)
    assert "承诺时限应比法定时限至少压缩" not in _body(client.get(f"/powers/{power.pk}/edit/"))


@pytest.mark.parametrize("reviewer, steps", [("dept_reviewer", 0), ("office_reviewer", 1)])
def test_warning_shown_to_the_reviewer_in_review(client, org, slow, reviewer, steps):
    power = review_submit(user=org.clerk, obj=slow)
    if steps:
        power = review_approve(user=org.dept_reviewer, obj=power)
    client.force_login(getattr(org, reviewer))
    assert WARNING in _body(client.get(f"/powers/{power.pk}/"))


@pytest.mark.parametrize("username", ["clerk", "office_reviewer"])
def test_no_warning_on_a_confirmed_item(client, org, slow, username):
    confirm(org, slow)
    client.force_login(getattr(org, username))
    body = _body(client.get(f"/powers/{slow.pk}/"))
    assert "承诺时限应比法定时限至少压缩" not in body
    assert "15 个工作日" in body  # the promise itself is still shown
