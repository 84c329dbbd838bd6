"""Power pages: who may open them (403 with the reason otherwise), the form's Chinese
validation messages, and stale pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from powerlist.models import Power, ReviewState
from powerlist.org.roles import Role
from powerlist.review.engine import review_submit, review_withdraw
from tests.powerlist.factories import (
    CategoryFactory,
    DepartmentFactory,
    LegalBasisFactory,
    PowerFactory,
    UserFactory,
    make_user,
)
from tests.powerlist.helpers import confirm

# May not read it: the page answers 404, exactly like a missing power (no oracle).
NOT_VISIBLE = None
NOT_CREATOR = "只有本部门的经办人可以新增事项。"
NOT_EDITOR = "只有本部门(处室)的经办人可以编辑该事项。"


def _body(response):
    return response.content.decode()


def assert_refused(response, reason):
    if reason is NOT_VISIBLE:
        assert response.status_code == 404
        return
    assert response.status_code == 403
    assert escape(reason) in _body(response), _body(response)[:2000]


@pytest.fixture
def draft(org):
    power = PowerFactory(department=org.dept, division=org.division, name="企业投资项目核准")
    LegalBasisFactory(power=power)
    return power


def _form_data(org, **overrides):
    category = CategoryFactory()
    data = {
        "version": "",
        "code": "210000-FG-XK-777",
        "name": "固定资产投资项目节能审查",
        "category": category.pk,
        "division": org.division.pk,
        "disposition": Power.Disposition.RETAIN,
        "disposition_reason": "",
        "exercise_level": Power.ExerciseLevel.DIRECT,
        "responsible_leader": "分管副主任",
        "staff_duties": "",
        "conditions": "",
        "statutory_limit_days": "20",
        "promised_limit_days": "10",
        "service_commitment": "",
        "work_discipline": "",
        "fee_basis": "不收费",
        "remarks": "",
        "basis-TOTAL_FORMS": "1",
        "basis-INITIAL_FORMS": "0",
        "basis-MIN_NUM_FORMS": "0",
        "basis-MAX_NUM_FORMS": "1000",
        "basis-0-law_name": "《固定资产投资项目节能审查办法》",
        "basis-0-article": "第五条",
        "basis-0-text": "",
        "duty-TOTAL_FORMS": "1",
        "duty-INITIAL_FORMS": "0",
        "duty-MIN_NUM_FORMS": "0",
        "duty-MAX_NUM_FORMS": "1000",
        "duty-0-stage": "examination",
        "duty-0-text": "依法审查并出具节能审查意见。",
        "duty-0-basis": "",
        "case-TOTAL_FORMS": "1",
        "case-INITIAL_FORMS": "0",
        "case-MIN_NUM_FORMS": "0",
        "case-MAX_NUM_FORMS": "1000",
        "case-0-text": "",
        "case-0-ground": "",
    }
    data.update(overrides)
    return data


# --- List and catalogue -------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/powers/", "/powers/catalogue/", "/powers/new/", "/powers/adopt/"])
def test_anonymous_user_is_sent_to_login(client, org, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,sees_it,can_create",
    [
        ("clerk", True, True),
        ("dept_reviewer", True, False),
        ("office_reviewer", True, False),
        ("supervisor", True, False),
        ("admin", True, False),
        ("expert", False, False),
        ("other_clerk", False, True),
        ("city_clerk", False, True),
        ("city_office_reviewer", False, False),
    ],
)
def test_power_list_shows_only_what_the_user_may_read(client, org, draft, username, sees_it, can_create):
    client.force_login(getattr(org, username))
    response = client.get("/powers/")
    assert response.status_code == 200
    assert ("企业投资项目核准" in _body(response)) is sees_it
    assert response.context["can_create"] is can_create
    assert ('href="/powers/new/"' in _body(response)) is can_create


@pytest.mark.django_db
def test_power_list_filters_by_state_and_text(client, org, draft):
    PowerFactory(department=org.dept, division=org.division, name="价格认定", state=ReviewState.OFFICE_REVIEW)
    client.force_login(org.clerk)
    names = lambda r: [p.name for p in r.context["page"].object_list]  # noqa: E731
    assert set(names(client.get("/powers/"))) == {"企业投资项目核准", "价格认定"}
    assert names(client.get("/powers/", {"state": "office_review"})) == ["价格认定"]
    assert names(client.get("/powers/", {"q": "核准"})) == ["企业投资项目核准"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/powers/", "/powers/catalogue/"])
def test_list_query_count_does_not_grow_with_the_list(client, org, path):
    client.force_login(org.clerk)
    counts = []
    for batch in (3, 37):
        for _ in range(batch):
            LegalBasisFactory(power=PowerFactory(department=org.dept, division=org.division))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 12


# --- Detail -------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,allowed",
    [
        ("clerk", True),
        ("dept_reviewer", True),
        ("office_reviewer", True),
        ("establishment", True),
        ("legal", True),
        ("supervisor", True),
        ("admin", True),
        ("expert", False),
        ("other_clerk", False),
        ("other_reviewer", False),
        ("city_clerk", False),
        ("city_office_reviewer", False),  # never upwards
    ],
)
def test_power_detail_by_role_and_scope(client, org, draft, username, allowed):
    client.force_login(getattr(org, username))
    response = client.get(f"/powers/{draft.pk}/")
    if allowed:
        assert response.status_code == 200
        assert "<h1>企业投资项目核准</h1>" in _body(response)
    else:
        assert_refused(response, NOT_VISIBLE)


@pytest.mark.django_db
def test_power_detail_missing_is_404(client, org):
    client.force_login(org.clerk)
    assert client.get("/powers/999999/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,state,buttons",
    [
        ("clerk", ReviewState.DRAFT, ["提交审核"]),
        ("clerk", ReviewState.DEPARTMENT_REVIEW, ["撤回"]),
        ("dept_reviewer", ReviewState.DEPARTMENT_REVIEW, ["审核通过", "退回修改"]),
        ("dept_reviewer", ReviewState.DRAFT, []),
        ("office_reviewer", ReviewState.OFFICE_REVIEW, ["审核通过", "退回修改"]),
        ("establishment", ReviewState.FINAL_REVIEW, ["编委办确认", "退回修改"]),
        ("legal", ReviewState.FINAL_REVIEW, ["法制办确认", "退回修改"]),
        ("supervisor", ReviewState.OFFICE_REVIEW, []),
    ],
)
def test_power_detail_shows_the_review_buttons_the_user_may_press(client, org, draft, username, state, buttons):
    Power.objects.filter(pk=draft.pk).update(state=state)
    client.force_login(getattr(org, username))
    response = client.get(f"/powers/{draft.pk}/")
    assert [str(a.label) for a in response.context["actions"]] == buttons
    body = _body(response)
    for label in buttons:
        assert f">{label}</button>" in body
    assert ("审核操作" in body) is bool(buttons)


@pytest.mark.django_db
def test_review_button_posts_with_a_csrf_token(org, draft):
    """The review form is an include with `only`; it must still carry the CSRF token."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.clerk)
    page = client.get(f"/powers/{draft.pk}/")
    token = page.context["csrf_token"]
    assert f'name="csrfmiddlewaretoken" value="{token}"' in _body(page)
    response = client.post(
        f"/review/powerlist.power/{draft.pk}/submit/",
        {"csrfmiddlewaretoken": str(token), "version": draft.version},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/powers/{draft.pk}/"  # back to the page the button was on
    draft.refresh_from_db()
    assert draft.state == ReviewState.DEPARTMENT_REVIEW


# --- Create -------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,reason",
    [
        ("dept_reviewer", NOT_CREATOR),
        ("office_reviewer", NOT_CREATOR),
        ("establishment", NOT_CREATOR),
        ("expert", NOT_CREATOR),
        ("supervisor", NOT_CREATOR),
        ("admin", NOT_CREATOR),
    ],
)
@pytest.mark.parametrize("path", ["/powers/new/", "/powers/adopt/"])
def test_only_clerks_may_create_or_adopt(client, org, username, reason, path):
    client.force_login(getattr(org, username))
    assert_refused(client.get(path), reason)
    assert_refused(client.post(path, {}), reason)


@pytest.mark.django_db
def test_user_without_department_is_told_so(client, org):
    user = UserFactory(department=None, roles=[Role.CLERK])
    client.force_login(user)
    assert_refused(client.get("/powers/new/"), "您的账号未分配部门。")


@pytest.mark.django_db
def test_clerk_creates_a_power_with_its_legal_basis(client, org):
    client.force_login(org.clerk)
    assert client.get("/powers/new/").status_code == 200
    response = client.post("/powers/new/", _form_data(org))
    power = Power.objects.get(code="210000-FG-XK-777")
    assert response.status_code == 302
    assert response["Location"] == f"/powers/{power.pk}/"
    assert (power.state, power.department, power.division, power.created_by) == (
        ReviewState.DRAFT, org.dept, org.division, org.clerk)
    assert [(b.law_name, b.article) for b in power.legal_bases.all()] == [("《固定资产投资项目节能审查办法》", "第五条")]


@pytest.mark.django_db
def test_clerk_cannot_create_in_another_division(client, org):
    client.force_login(org.clerk)
    response = client.post("/powers/new/", _form_data(org, division=org.other_division.pk))
    assert response.status_code == 200  # the field only offers the clerk's own division
    assert "division" in response.context["form"].errors
    assert not Power.objects.filter(code="210000-FG-XK-777").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"statutory_limit_days": "10", "promised_limit_days": "15"}, "promised_limit_days", "承诺时限不得超过法定时限。"),
        ({"disposition": "cancel", "disposition_reason": ""}, "disposition_reason", "取消或调整的事项须填写处理理由。"),
        ({"disposition": "adjust", "disposition_reason": "  "}, "disposition_reason", "取消或调整的事项须填写处理理由。"),
        ({"name": ""}, "name", "该字段是必填项。"),
        ({"basis-0-law_name": "", "basis-0-article": "第五条"}, None, "请填写法律法规名称。"),
    ],
    ids=["promised-over-statutory", "cancel-without-reason", "adjust-without-reason", "no-name", "article-no-law"],
)
def test_form_shows_chinese_validation_messages(client, org, overrides, field, message):
    client.force_login(org.clerk)
    response = client.post("/powers/new/", _form_data(org, **overrides))
    assert response.status_code == 200
    body = _body(response)
    assert escape(message) in body
    summary = body[body.index('id="form-errors"'):]
    assert escape(message) in summary[:summary.index("</div>")]  # listed in the summary (role=alert)
    if field:
        assert message in response.context["form"].errors[field]
    # Each invalid widget points (aria-describedby) at the element holding its message.
    for described_by in re.findall(r'aria-invalid="true" aria-describedby="([^"]+)"', body):
        for ref in described_by.split():
            assert f'id="{ref}"' in body, ref
    assert 'aria-invalid="true"' in body
    assert not Power.objects.filter(code="210000-FG-XK-777").exists()


@pytest.mark.django_db
def test_form_refuses_a_duplicate_code_in_the_region(client, org, draft):
    client.force_login(org.clerk)
    response = client.post("/powers/new/", _form_data(org, code=draft.code))
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [f"本区划内已有事项编码“{draft.code}”。"]
    assert Power.objects.filter(code=draft.code).count() == 1


@pytest.mark.django_db
def test_the_same_code_is_allowed_in_another_region(client, org, draft):
    client.force_login(org.city_clerk)
    response = client.post(
        "/powers/new/", _form_data(org, code=draft.code, division=org.city_division.pk)
    )
    assert response.status_code == 302
    assert Power.objects.filter(code=draft.code).count() == 2


# --- Edit ---------------------------------------------------------------------

@pytest.mark.django_db
def test_clerk_edits_a_draft(client, org, draft):
    client.force_login(org.clerk)
    page = client.get(f"/powers/{draft.pk}/edit/")
    assert page.status_code == 200
    assert page.context["form"]["version"].value() == draft.version
    data = _form_data(org, code=draft.code, name="企业投资项目核准(修改)", version=draft.version,
                      **{"basis-TOTAL_FORMS": "1"})
    response = client.post(f"/powers/{draft.pk}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "企业投资项目核准(修改)"
    assert [b.law_name for b in draft.legal_bases.all()] == ["《固定资产投资项目节能审查办法》"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,reason",
    [
        ("dept_reviewer", NOT_EDITOR),
        ("office_reviewer", NOT_EDITOR),
        ("supervisor", NOT_EDITOR),
        ("other_clerk", NOT_VISIBLE),
        ("expert", NOT_VISIBLE),
        ("city_clerk", NOT_VISIBLE),
    ],
)
def test_edit_refused_by_role_and_scope(client, org, draft, username, reason):
    client.force_login(getattr(org, username))
    assert_refused(client.get(f"/powers/{draft.pk}/edit/"), reason)
    assert_refused(client.post(f"/powers/{draft.pk}/edit/", _form_data(org, code=draft.code)), reason)
    draft.refresh_from_db()
    assert draft.name == "企业投资项目核准"


@pytest.mark.django_db
def test_clerk_of_another_division_cannot_edit(client, org, draft):
    colleague = make_user(Role.CLERK, org.dept, division=org.other_division, username="price_clerk")
    client.force_login(colleague)
    assert client.get(f"/powers/{draft.pk}/").status_code == 200  # same department: may read
    assert_refused(client.get(f"/powers/{draft.pk}/edit/"), NOT_EDITOR)


@pytest.mark.django_db
def test_edit_refused_once_submitted(client, org, draft):
    review_submit(user=org.clerk, obj=draft)
    client.force_login(org.clerk)
    assert_refused(
        client.get(f"/powers/{draft.pk}/edit/"),
        "事项处于“部门审核中”状态,不能编辑;如需修改请先撤回或发起修订。",
    )


@pytest.mark.django_db
def test_edit_from_a_stale_page_is_refused(client, org, draft):
    """The clerk opened the form, then the item went to review and came back: saving the
    old page must not overwrite what happened in between."""
    client.force_login(org.clerk)
    shown_version = client.get(f"/powers/{draft.pk}/edit/").context["form"]["version"].value()
    review_withdraw(user=org.clerk, obj=review_submit(user=org.clerk, obj=draft))
    data = _form_data(org, code=draft.code, name="旧页面的修改", version=shown_version)
    response = client.post(f"/powers/{draft.pk}/edit/", data)
    assert response.status_code == 200
    assert "该事项已被他人修改,请刷新页面后再编辑。" in _body(response)
    draft.refresh_from_db()
    assert draft.name == "企业投资项目核准"


@pytest.mark.django_db
def test_second_of_two_concurrent_edits_is_refused(client, org, draft):
    """Two clerks open the same draft; the first saves; the second's page is stale."""
    colleague = make_user(Role.CLERK, org.dept, division=org.division, username="clerk2")
    other = client.__class__()
    client.force_login(org.clerk)
    other.force_login(colleague)
    version = client.get(f"/powers/{draft.pk}/edit/").context["form"]["version"].value()
    assert other.get(f"/powers/{draft.pk}/edit/").context["form"]["version"].value() == version
    first = client.post(f"/powers/{draft.pk}/edit/", _form_data(org, code=draft.code, name="第一人", version=version))
    assert first.status_code == 302
    second = other.post(f"/powers/{draft.pk}/edit/", _form_data(org, code=draft.code, name="第二人", version=version))
    assert second.status_code == 200
    assert "该事项已被他人修改,请刷新页面后再编辑。" in _body(second)
    draft.refresh_from_db()
    assert draft.name == "第一人"


# --- Adopt --------------------------------------------------------------------

@pytest.mark.django_db
def test_city_clerk_adopts_a_confirmed_province_power(client, org, draft):
    confirm(org, draft)
    client.force_login(org.city_clerk)
    page = client.get("/powers/adopt/")
    assert page.status_code == 200
    assert [p.pk for p in page.context["page"].object_list] == [draft.pk]
    response = client.post("/powers/adopt/", {"source": draft.pk})
    adopted = Power.objects.get(source=draft)
    assert response.status_code == 302
    assert response["Location"] == f"/powers/{adopted.pk}/edit/"
    assert (adopted.code, adopted.name, adopted.department) == (draft.code, draft.name, org.city_dept)
    assert "已参照" in _body(client.get("/powers/adopt/"))
    again = client.post("/powers/adopt/", {"source": draft.pk}, follow=True)
    assert "本部门已参照过该事项。" in _body(again)
    assert Power.objects.filter(source=draft).count() == 1


@pytest.mark.django_db
def test_drafts_of_the_level_above_cannot_be_adopted(client, org, draft):
    client.force_login(org.city_clerk)
    assert list(client.get("/powers/adopt/").context["page"].object_list) == []
    response = client.post("/powers/adopt/", {"source": draft.pk})
    assert "只能参照上级已确认的事项。" in _body(response)
    assert not Power.objects.filter(source=draft).exists()


@pytest.mark.django_db
def test_powers_of_another_province_branch_cannot_be_adopted(client, org):
    county_dept = DepartmentFactory(region=org.city, name="沈阳市财政局")
    foreign = PowerFactory(department=county_dept, state=ReviewState.CONFIRMED)
    client.force_login(org.city_clerk)
    assert client.post("/powers/adopt/", {"source": foreign.pk}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,path",
    [
        ("clerk", "/powers/catalogue/?department=abc"),
        ("clerk", "/powers/catalogue/?division=1%20OR%201"),
        ("office_reviewer", "/workspace/office-review/?category=abc"),
        ("office_reviewer", "/workspace/office-review/?department=x"),
        ("clerk", "/powers/?category=abc&state=zzz&page=abc"),
        ("city_clerk", "/powers/adopt/?page=99"),
    ],
)
def test_mangled_query_parameters_are_ignored_not_an_error(client, org, draft, username, path):
    client.force_login(getattr(org, username))
    assert client.get(path).status_code == 200
