"""REST API /api/v1/: the same scopes, predicates and services as the pages."""

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from powerlist.models import Category, LegalBasis, Power, ReviewLogEntry, ReviewState
from powerlist.org.permissions import can_view_item
from powerlist.org.roles import Role
from powerlist.review.engine import review_approve, review_submit, review_withdraw
from tests.powerlist.factories import CategoryFactory, LegalBasisFactory, PowerFactory, make_user
from tests.powerlist.helpers import confirm
from tests.powerlist.review.test_matrix import IN_SCOPE, READS_POWER, WITH_FINAL


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def token_client(user):
    """A client as an integration would use it; the query counts include authentication."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _power_in(state, org, **kwargs):
    power = PowerFactory(department=org.dept, division=org.division, **kwargs)
    Power.objects.filter(pk=power.pk).update(state=state)
    power.refresh_from_db()
    return power


def _create_payload(org, **overrides):
    category = CategoryFactory()
    data = {
        "code": "210000-XK-API-1",
        "name": "企业投资项目核准(接口)",
        "category": category.pk,
        "division": org.division.pk,
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "legal_bases": [
            {"law_name": "《企业投资项目核准和备案管理条例》", "article": "第九条", "text": "核准机关应当……"},
            {"law_name": "《中华人民共和国行政许可法》"},
        ],
    }
    data.update(overrides)
    return data


# --- Authentication --------------------------------------------------------------


@pytest.mark.django_db
def test_token_authentication_identifies_the_user(org):
    token = Token.objects.create(user=org.clerk)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "clerk"
    assert response.json()["roles"] == [Role.CLERK]


@pytest.mark.django_db
def test_anonymous_request_is_refused_in_chinese(org):
    response = APIClient().get("/api/v1/powers/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "身份认证信息未提供。"


@pytest.mark.django_db
def test_wrong_token_is_refused(org):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json() == {"detail": "认证令牌无效。"}


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(org, power):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(org.clerk)
    assert client.get(f"/api/v1/powers/{power.pk}/").status_code == 200
    response = client.post(f"/api/v1/powers/{power.pk}/submit/", {}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# --- Reading: scopes -------------------------------------------------------------


@pytest.mark.django_db
def test_list_is_scoped_like_the_pages(org):
    own = PowerFactory(department=org.dept, division=org.division)
    other_dept = PowerFactory(department=org.other_dept, division=org.other_dept_division)
    city_draft = PowerFactory(department=org.city_dept, division=org.city_division, code="210100-XK-1")
    city_submitted = PowerFactory(department=org.city_dept, division=org.city_division, code="210100-XK-2")
    Power.objects.filter(pk=city_submitted.pk).update(state=ReviewState.OFFICE_REVIEW)

    def ids(user):
        response = client_for(user).get("/api/v1/powers/")
        assert response.status_code == 200
        return {item["id"] for item in response.json()["results"]}

    assert ids(org.clerk) == {own.pk}
    assert ids(org.other_clerk) == {other_dept.pk}
    # The province office reads its region, and the regions below past the draft stage.
    assert ids(org.office_reviewer) == {own.pk, other_dept.pk, city_submitted.pk}
    assert ids(org.city_office_reviewer) == {city_draft.pk, city_submitted.pk}
    assert ids(org.admin) == {own.pk, other_dept.pk, city_draft.pk, city_submitted.pk}
    assert ids(org.expert) == set()


@pytest.mark.django_db
def test_another_regions_draft_is_not_found_rather_than_forbidden(org):
    """A power the user may not read answers 404 on every route, the same as a
    power that does not exist: the API never confirms another region's draft."""
    city_draft = PowerFactory(department=org.city_dept, division=org.city_division, code="210100-XK-1")
    client = client_for(org.office_reviewer)
    missing = Power.objects.order_by("-pk").first().pk + 1000
    for pk in (city_draft.pk, missing):
        for method, path in (
            ("get", f"/api/v1/powers/{pk}/"),
            ("get", f"/api/v1/powers/{pk}/log/"),
            ("get", f"/api/v1/powers/{pk}/revisions/"),
            ("patch", f"/api/v1/powers/{pk}/"),
            ("post", f"/api/v1/powers/{pk}/approve/"),
        ):
            response = getattr(client, method)(path, {}, format="json")
            assert response.status_code == 404, (method, path)
            assert response.json() == {"detail": "事项不存在或您无权查看。"}


@pytest.mark.django_db
def test_detail_has_nested_legal_bases_and_the_users_open_actions(org, power):
    power.legal_bases.all().delete()
    LegalBasisFactory(power=power, order=1, article="第二条")
    LegalBasisFactory(power=power, order=0, article="第一条")
    data = client_for(org.clerk).get(f"/api/v1/powers/{power.pk}/").json()
    assert [b["article"] for b in data["legal_bases"]] == ["第一条", "第二条"]
    assert data["state"] == "draft" and data["state_label"] == "草稿"
    assert data["version"] == power.version
    assert data["department"] == {"id": org.dept.pk, "name": "发展改革委"}
    assert [a["action"] for a in data["actions"]] == ["submit"]
    assert client_for(org.dept_reviewer).get(f"/api/v1/powers/{power.pk}/").json()["actions"] == []


@pytest.mark.django_db
def test_list_filters_use_the_selector(org):
    permit = CategoryFactory()
    penalty = CategoryFactory(code="CF", name="行政处罚", short_name="处罚", order=20)
    a = PowerFactory(department=org.dept, division=org.division, category=permit, name="建设项目核准")
    b = PowerFactory(department=org.dept, division=org.other_division, category=penalty, name="价格违法处罚")
    Power.objects.filter(pk=b.pk).update(state=ReviewState.OFFICE_REVIEW)
    client = client_for(org.office_reviewer)

    def ids(**params):
        response = client.get("/api/v1/powers/", params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert ids(category=penalty.pk) == [b.pk]
    assert ids(state="draft") == [a.pk]
    assert ids(q="核准") == [a.pk]
    assert ids(division=org.other_division.pk) == [b.pk]
    assert ids(department=org.other_dept.pk) == []
    assert ids(disposition="retain") == [a.pk, b.pk] or ids(disposition="retain") == [b.pk, a.pk]


@pytest.mark.django_db
def test_invalid_filter_is_a_400_in_chinese(org):
    response = client_for(org.clerk).get("/api/v1/powers/", {"state": "published"})
    assert response.status_code == 400
    assert "published" in response.json()["state"][0]
    assert "选择" in response.json()["state"][0]


@pytest.mark.django_db
def test_categories_lists_active_ones_without_pages(org):
    # The seed categories come with the migrations; add one retired category.
    CategoryFactory(code="OLD", name="已停用类别", order=5, is_active=False)
    response = client_for(org.expert).get("/api/v1/categories/")
    assert response.status_code == 200
    codes = [c["code"] for c in response.json()]
    assert "OLD" not in codes
    assert codes == list(Category.objects.filter(is_active=True).order_by("order", "code")
                         .values_list("code", flat=True))
    assert response.json()[0].keys() == {"id", "code", "name", "short_name", "description", "order"}


# --- Writing drafts ----------------------------------------------------------------


@pytest.mark.django_db
def test_clerk_creates_a_draft_with_legal_bases(org):
    response = client_for(org.clerk).post("/api/v1/powers/", _create_payload(org), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "draft" and data["department"]["id"] == org.dept.pk
    assert [b["law_name"] for b in data["legal_bases"]] == [
        "《企业投资项目核准和备案管理条例》", "《中华人民共和国行政许可法》"]
    power = Power.objects.get(pk=data["id"])
    assert power.created_by == org.clerk and power.region == org.province
    assert ReviewLogEntry.objects.filter(object_id=power.pk, action="create").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["dept_reviewer", "office_reviewer", "admin", "expert"])
def test_only_a_clerk_may_create(org, username):
    response = client_for(getattr(org, username)).post("/api/v1/powers/", _create_payload(org), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "只有本部门的经办人可以新增事项。"}
    assert not Power.objects.exists()


@pytest.mark.django_db
def test_validation_errors_are_400_in_chinese(org):
    client = client_for(org.clerk)
    response = client.post("/api/v1/powers/", {"code": "X-1"}, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["该字段是必填项。"]
    assert response.json()["category"] == ["该字段是必填项。"]

    # Model rules, raised by the service (full_clean), come back per field too.
    payload = _create_payload(org, promised_limit_days=30, disposition="cancel")
    response = client.post("/api/v1/powers/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["promised_limit_days"] == ["承诺时限不得超过法定时限。"]
    assert response.json()["disposition_reason"] == ["取消或调整的事项须填写处理理由。"]

    PowerFactory(department=org.dept, division=org.division, code="210000-XK-API-1")
    response = client.post("/api/v1/powers/", _create_payload(org), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == ["本区划内已有事项编码“210000-XK-API-1”。"]


@pytest.mark.django_db
def test_division_must_belong_to_the_users_department(org):
    payload = _create_payload(org, division=org.other_dept_division.pk)
    response = client_for(org.clerk).post("/api/v1/powers/", payload, format="json")
    assert response.status_code == 400
    assert "division" in response.json()


@pytest.mark.django_db
def test_clerk_edits_a_draft_and_replaces_legal_bases(org, power):
    LegalBasisFactory(power=power)
    response = client_for(org.clerk).patch(
        f"/api/v1/powers/{power.pk}/",
        {"name": "改名后的事项", "version": power.version,
         "legal_bases": [{"law_name": "《新条例》", "article": "第一条"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "改名后的事项"
    assert [b["law_name"] for b in response.json()["legal_bases"]] == ["《新条例》"]
    power.refresh_from_db()
    assert power.name == "改名后的事项" and power.code  # untouched fields stay
    assert list(LegalBasis.objects.filter(power=power).values_list("law_name", flat=True)) == ["《新条例》"]


@pytest.mark.django_db
def test_patch_without_legal_bases_keeps_them(org, power):
    LegalBasisFactory(power=power)
    count = power.legal_bases.count()
    response = client_for(org.clerk).patch(
        f"/api/v1/powers/{power.pk}/", {"duty": "新职责", "version": power.version}, format="json")
    assert response.status_code == 200
    assert len(response.json()["legal_bases"]) == count > 0


@pytest.mark.django_db
def test_patch_needs_the_version_and_refuses_a_stale_one(org, power):
    client = client_for(org.clerk)
    response = client.patch(f"/api/v1/powers/{power.pk}/", {"name": "甲"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()

    Power.objects.filter(pk=power.pk).update(version=power.version + 1)
    response = client.patch(f"/api/v1/powers/{power.pk}/", {"name": "甲", "version": power.version}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "该事项已被他人修改,请刷新页面后再编辑。"}
    power.refresh_from_db()
    assert power.name != "甲"


@pytest.mark.django_db
def test_reviewer_may_read_but_not_edit(org, power):
    response = client_for(org.dept_reviewer).patch(
        f"/api/v1/powers/{power.pk}/", {"name": "甲", "version": power.version}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "只有本部门(处室)的经办人可以编辑该事项。"}


@pytest.mark.django_db
def test_clerk_of_another_division_may_read_but_not_edit(org, power):
    colleague = make_user(Role.CLERK, org.dept, division=org.other_division, username="colleague")
    client = client_for(colleague)
    assert client.get(f"/api/v1/powers/{power.pk}/").status_code == 200
    response = client.patch(f"/api/v1/powers/{power.pk}/", {"name": "甲", "version": power.version}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "只有本部门(处室)的经办人可以编辑该事项。"}


@pytest.mark.django_db
def test_submitted_power_is_not_editable(org, power):
    power = review_submit(user=org.clerk, obj=power)
    response = client_for(org.clerk).patch(
        f"/api/v1/powers/{power.pk}/", {"name": "甲", "version": power.version}, format="json")
    assert response.status_code == 403
    assert "部门审核中" in response.json()["detail"]


@pytest.mark.django_db
def test_put_is_not_offered(org, power):
    response = client_for(org.clerk).put(f"/api/v1/powers/{power.pk}/", {}, format="json")
    assert response.status_code == 405


# --- Review actions ----------------------------------------------------------------


# Every (state, action) the review flow has, from the hand-written matrix of test_matrix.
CELLS = sorted({(state, action) for state, action, _role in WITH_FINAL})


def _expected_status(state, action, role):
    if (state, action, role) in WITH_FINAL:
        return 200
    return 403 if role in READS_POWER else 404


@pytest.mark.django_db
@pytest.mark.parametrize("cell", CELLS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("role", list(Role))
def test_each_action_is_allowed_for_its_role_and_refused_with_a_reason_for_others(org, cell, role):
    state, action = cell
    power = _power_in(state, org)
    user = getattr(org, IN_SCOPE[role])
    before = ReviewLogEntry.objects.count()
    response = client_for(user).post(
        f"/api/v1/powers/{power.pk}/{action.replace('_', '-')}/",
        {"comment": "请补充法律依据条文。", "version": power.version},
        format="json",
    )
    expected = _expected_status(state, action, role)
    assert response.status_code == expected, response.content
    power.refresh_from_db()
    if expected == 200:
        assert response.json()["state"] == power.state
        assert response.json()["version"] == power.version == 2
        assert ReviewLogEntry.objects.count() == before + 1
    else:
        assert response.json()["detail"]  # the reason, in Chinese
        assert power.state == state
        assert ReviewLogEntry.objects.count() == before
    if expected == 403:
        assert response.json()["detail"].startswith("此操作需要“")


@pytest.mark.django_db
def test_province_office_reviewer_cannot_approve_a_city_power_it_can_read(org):
    power = PowerFactory(department=org.city_dept, division=org.city_division, code="210100-XK-1")
    Power.objects.filter(pk=power.pk).update(state=ReviewState.OFFICE_REVIEW)
    response = client_for(org.office_reviewer).post(f"/api/v1/powers/{power.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "该事项不在您的管辖范围内(本部门、本级本区划)。"}
    response = client_for(org.city_office_reviewer).post(f"/api/v1/powers/{power.pk}/approve/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == ReviewState.FINAL_REVIEW


@pytest.mark.django_db
def test_action_in_the_wrong_state_is_refused_with_the_state(org, power):
    response = client_for(org.dept_reviewer).post(f"/api/v1/powers/{power.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "当前状态“草稿”下不能执行此操作。"}


@pytest.mark.django_db
def test_stale_version_is_a_409(org, power):
    seen = power.version
    review_submit(user=org.clerk, obj=power)
    response = client_for(org.clerk).post(f"/api/v1/powers/{power.pk}/withdraw/", {"version": seen}, format="json")
    assert response.status_code == 409
    assert "已被他人处理" in response.json()["detail"]
    power.refresh_from_db()
    assert power.state == ReviewState.DEPARTMENT_REVIEW


@pytest.mark.django_db
def test_second_reviewer_on_a_changed_item_gets_a_409(org, power):
    power = review_submit(user=org.clerk, obj=power)
    stale = Power.objects.get(pk=power.pk)
    review_approve(user=org.dept_reviewer, obj=stale)
    # Without a version the API cannot tell what the client saw: the refusal names the
    # role the current stage needs. With the version it read, the client learns the truth.
    response = client_for(org.dept_reviewer).post(f"/api/v1/powers/{power.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "此操作需要“领导小组办公室审核人”角色。"}
    response = client_for(org.dept_reviewer).post(
        f"/api/v1/powers/{power.pk}/return/", {"comment": "退回", "version": power.version}, format="json")
    assert response.status_code == 409


@pytest.mark.django_db
def test_return_without_comment_is_a_400_in_chinese(org, power):
    power = review_submit(user=org.clerk, obj=power)
    response = client_for(org.dept_reviewer).post(
        f"/api/v1/powers/{power.pk}/return/", {"comment": "  ", "version": power.version}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "“退回修改”时必须填写意见,说明理由或需要修改的内容。"}


@pytest.mark.django_db
def test_full_chain_through_the_api(org, power):
    def post(user, action, **body):
        current = Power.objects.get(pk=power.pk)
        response = client_for(user).post(
            f"/api/v1/powers/{power.pk}/{action}/", {"version": current.version, **body}, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    post(org.clerk, "submit")
    post(org.dept_reviewer, "approve", comment="同意")
    post(org.office_reviewer, "approve")
    assert post(org.legal, "confirm-legal")["state"] == ReviewState.FINAL_REVIEW
    data = post(org.establishment, "confirm-establishment")
    assert data["state"] == ReviewState.CONFIRMED and data["in_force_revision"] == 1
    assert post(org.clerk, "revise")["revision"] == 2


# --- Batch ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_batch_reports_refusals_item_by_item(org):
    ready = [review_submit(user=org.clerk, obj=PowerFactory(department=org.dept, division=org.division))
             for _ in range(2)]
    draft = PowerFactory(department=org.dept, division=org.division)
    other = PowerFactory(department=org.other_dept, division=org.other_dept_division)
    other = review_submit(user=org.other_clerk, obj=other)
    ids = [ready[0].pk, draft.pk, other.pk, ready[1].pk, 999999]
    response = client_for(org.dept_reviewer).post(
        "/api/v1/powers/batch/", {"ids": ids, "action": "approve", "comment": "同意"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(body["done"]) == sorted(p.pk for p in ready)
    refused = {r["id"]: r["reason"] for r in body["refused"]}
    assert refused == {
        draft.pk: "当前状态“草稿”下不能执行此操作。",
        other.pk: "事项不存在或您无权查看。",
        999999: "事项不存在或您无权查看。",
    }
    assert Power.objects.get(pk=other.pk).state == ReviewState.DEPARTMENT_REVIEW


@pytest.mark.django_db
def test_batch_validates_its_body(org):
    client = client_for(org.dept_reviewer)
    response = client.post("/api/v1/powers/batch/", {"ids": [], "action": "approve"}, format="json")
    assert response.status_code == 400 and "ids" in response.json()
    response = client.post("/api/v1/powers/batch/", {"ids": [1], "action": "create"}, format="json")
    assert response.status_code == 400
    # The enum offers only what the flows can batch, so "create" is not a choice at all.
    assert response.json()["action"] == ["“create” 不是合法选项。"]


# --- Log and revisions ----------------------------------------------------------------


@pytest.mark.django_db
def test_log_and_revisions_of_a_confirmed_power(org, power):
    confirm(org, power)
    client = client_for(org.supervisor)
    log = client.get(f"/api/v1/powers/{power.pk}/log/").json()
    assert [e["action"] for e in log] == ["submit", "approve", "approve", "confirm_establishment", "confirm_legal"]
    assert log[0]["action_label"] == "提交审核" and log[1]["prev_hash"] == log[0]["entry_hash"]
    assert [(e["chain"], e["seq"]) for e in log] == [("region:210000", n) for n in (1, 2, 3, 4, 5)]
    revisions = client.get(f"/api/v1/powers/{power.pk}/revisions/").json()
    assert [r["number"] for r in revisions] == [1]
    assert revisions[0]["data"]["name"] == power.name


# --- Review queue --------------------------------------------------------------------


@pytest.mark.django_db
def test_review_queue_for_a_role_the_user_holds(org, power):
    waiting = review_submit(user=org.clerk, obj=power)
    PowerFactory(department=org.other_dept, division=org.other_dept_division)
    response = client_for(org.dept_reviewer).get("/api/v1/review-queue/", {"role": "department_reviewer"})
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [waiting.pk]
    assert response.json()["results"][0]["actions"][0]["action"] == "approve"


@pytest.mark.django_db
def test_review_queue_refuses_a_role_the_user_lacks(org):
    response = client_for(org.clerk).get("/api/v1/review-queue/", {"role": "office_reviewer"})
    assert response.status_code == 403
    assert response.json() == {"detail": "此页面仅供“领导小组办公室审核人”使用,您的账号没有该角色。"}


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"role": "expert"}, {"role": "nobody"}])
def test_review_queue_needs_a_queue_role(org, params):
    response = client_for(org.clerk).get("/api/v1/review-queue/", params)
    assert response.status_code == 400
    assert "role" in response.json()


# --- Query counts ---------------------------------------------------------------------


def _powers_with_bases(org, n, state=ReviewState.DRAFT):
    for _ in range(n):
        power = PowerFactory(department=org.dept, division=org.division)
        power.legal_bases.all().delete()
        LegalBasisFactory(power=power)
        LegalBasisFactory(power=power, article="第二条")
        Power.objects.filter(pk=power.pk).update(state=state)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 40])
def test_power_list_query_count_is_constant(org, n, django_assert_max_num_queries):
    _powers_with_bases(org, n, state=ReviewState.OFFICE_REVIEW)
    client = token_client(org.office_reviewer)
    # token+user, roles, department, region, stand-in grants, count, page, legal bases,
    # responsibility items (+ their steps when any), circumstances, sub-items
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/powers/")
    assert response.status_code == 200
    assert response.json()["count"] == n
    assert all(len(p["legal_bases"]) == 2 for p in response.json()["results"])
    assert all(p["actions"] for p in response.json()["results"])


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 40])
def test_review_queue_query_count_is_constant(org, n, django_assert_max_num_queries):
    _powers_with_bases(org, n, state=ReviewState.OFFICE_REVIEW)
    client = token_client(org.office_reviewer)
    # token+user, roles, count, page, legal bases, responsibility items, their steps,
    # circumstances, sub-items (scoped to the reviewer: department, region, stand-in grants)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/review-queue/", {"role": "office_reviewer"})
    assert response.json()["count"] == n


@pytest.mark.django_db
@pytest.mark.parametrize("rounds", [1, 8])
def test_log_query_count_is_constant(org, power, rounds, django_assert_max_num_queries):
    for _ in range(rounds):
        power = review_submit(user=org.clerk, obj=power)
        power = review_withdraw(user=org.clerk, obj=power)
    client = token_client(org.dept_reviewer)
    # token+user, roles, stand-in grants, the power, its log
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/powers/{power.pk}/log/")
    assert len(response.json()) == 2 * rounds


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 40])
def test_categories_query_count_is_constant(org, n, django_assert_max_num_queries):
    seeded = Category.objects.count()
    for i in range(n):
        Category.objects.create(code=f"C{i}", name=f"类别{i}", order=i)
    client = token_client(org.clerk)
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/categories/")
    assert len(response.json()) == seeded + n


# --- OpenAPI schema and its pages -----------------------------------------------------


@pytest.mark.django_db
def test_openapi_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/powers/{id}/confirm-establishment/", "/api/v1/powers/batch/",
                 "/api/v1/review-queue/", "/api/v1/categories/", "/api/v1/powers/{id}/log/"):
        assert path in text
    assert "'409'" in text


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/swagger/", "/api/schema/"])
def test_api_docs_and_schema_need_a_signed_in_user(client, url):
    assert client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/swagger/"])
def test_api_doc_pages_use_only_local_assets(client, org, url):
    client.force_login(org.clerk)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode().lower()
    for external in ("cdn", "jsdelivr", "unpkg", "googleapis", "gstatic", "https://"):
        assert external not in html, external
    assert "/static/drf_spectacular_sidecar/" in html


def test_sidecar_assets_are_installed():
    for asset in ("redoc/bundles/redoc.standalone.js", "swagger-ui-dist/swagger-ui-bundle.js",
                  "swagger-ui-dist/swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/{asset}"), asset


# --- Responses match the schema -----------------------------------------------------


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a union with null."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _json_schema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        if "type" in node and "enum" not in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def openapi():
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return _json_schema(json.loads(OpenApiJsonRenderer().render(schema)))


def assert_documented(openapi, response, method, path):
    """The response's status is documented for the operation and its body fits the schema."""
    from jsonschema import Draft202012Validator

    operation = openapi["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method.upper()} {path} answered {status}, not documented"
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": openapi["components"]})
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())]
    assert not errors, f"{method.upper()} {path} {status}: " + "; ".join(errors[:5])


@pytest.mark.django_db
def test_responses_match_the_documented_schema(org, openapi):
    clerk, reviewer = client_for(org.clerk), client_for(org.dept_reviewer)
    city_draft = PowerFactory(department=org.city_dept, division=org.city_division, code="210100-XK-1")
    checks = []

    def call(client, method, url, path, data=None):
        response = getattr(client, method)(url, data, format="json") if data is not None else \
            getattr(client, method)(url)
        checks.append((response, method, path))
        return response

    created = call(clerk, "post", "/api/v1/powers/", "/api/v1/powers/", _create_payload(org)).json()
    pk, detail = created["id"], "/api/v1/powers/{id}/"
    call(clerk, "post", "/api/v1/powers/", "/api/v1/powers/", {"name": ""})
    call(reviewer, "post", "/api/v1/powers/", "/api/v1/powers/", _create_payload(org))
    call(clerk, "get", "/api/v1/powers/", "/api/v1/powers/")
    call(clerk, "get", "/api/v1/powers/?state=nope", "/api/v1/powers/")
    call(clerk, "get", f"/api/v1/powers/{pk}/", detail)
    call(clerk, "get", f"/api/v1/powers/{city_draft.pk}/", detail)
    call(clerk, "patch", f"/api/v1/powers/{pk}/", detail, {"name": "新名称", "version": 1})
    call(clerk, "patch", f"/api/v1/powers/{pk}/", detail, {"name": "新名称", "version": 9})
    call(reviewer, "patch", f"/api/v1/powers/{pk}/", detail, {"name": "新名称", "version": 1})
    call(clerk, "post", f"/api/v1/powers/{pk}/submit/", "/api/v1/powers/{id}/submit/", {"version": 1})
    call(clerk, "post", f"/api/v1/powers/{pk}/withdraw/", "/api/v1/powers/{id}/withdraw/", {"version": 1})
    call(reviewer, "post", f"/api/v1/powers/{pk}/return/", "/api/v1/powers/{id}/return/", {"comment": ""})
    call(reviewer, "post", f"/api/v1/powers/{pk}/confirm-legal/", "/api/v1/powers/{id}/confirm-legal/", {})
    call(reviewer, "post", "/api/v1/powers/batch/", "/api/v1/powers/batch/",
         {"ids": [pk, city_draft.pk], "action": "approve"})
    call(reviewer, "post", "/api/v1/powers/batch/", "/api/v1/powers/batch/", {"ids": "x"})
    call(reviewer, "get", f"/api/v1/powers/{pk}/log/", "/api/v1/powers/{id}/log/")
    call(reviewer, "get", f"/api/v1/powers/{pk}/revisions/", "/api/v1/powers/{id}/revisions/")
    call(reviewer, "get", "/api/v1/categories/", "/api/v1/categories/")
    call(reviewer, "get", "/api/v1/review-queue/?role=department_reviewer", "/api/v1/review-queue/")
    call(reviewer, "get", "/api/v1/review-queue/?role=office_reviewer", "/api/v1/review-queue/")
    call(reviewer, "get", "/api/v1/review-queue/", "/api/v1/review-queue/")
    call(reviewer, "get", "/api/v1/me/", "/api/v1/me/")
    call(APIClient(), "get", "/api/v1/powers/", "/api/v1/powers/")

    assert {r.status_code for r, _m, _p in checks} == {200, 201, 400, 403, 404, 409}
    for response, method, path in checks:
        assert_documented(openapi, response, method, path)


# --- Sub-items and the lists (issue 10) -----------------------------------------------


def _main_with_subs_and_lists(org, n_subs=2, department=None, division=None):
    from powerlist.catalogue.models import AccountabilityCircumstance, ResponsibilityItem
    from tests.powerlist.factories import SubItemFactory
    from tests.powerlist.flowchart_helpers import linear

    main = PowerFactory(department=department or org.dept, division=division or org.division)
    main.responsibility_items.all().delete()
    accept = ResponsibilityItem.objects.create(power=main, stage="acceptance", text="一次性告知补正材料。",
                                               basis="《行政许可法》第三十二条", order=0)
    ResponsibilityItem.objects.create(power=main, stage="decision", text="依法作出决定。", order=1)
    chart = linear(main, ["受理", "审查", "决定"])
    accept.steps.set(chart.steps.filter(name__in=["受理", "审查"]))
    AccountabilityCircumstance.objects.create(power=main, text="对符合法定条件的申请不予受理的;",
                                              ground="《行政许可法》第七十二条", order=0)
    subs = [SubItemFactory(parent=main, code=f"{main.code}-{k:02d}", name=f"子项{k}") for k in range(1, n_subs + 1)]
    return main, subs


@pytest.mark.django_db
def test_power_detail_shows_sub_items_responsibility_items_and_circumstances(org):
    main, subs = _main_with_subs_and_lists(org)
    client = token_client(org.clerk)

    body = client.get(f"/api/v1/powers/{main.pk}/").json()
    assert body["parent"] is None
    assert body["sub_items"] == [
        {"id": subs[0].pk, "code": f"{main.code}-01", "name": "子项1", "state": "draft"},
        {"id": subs[1].pk, "code": f"{main.code}-02", "name": "子项2", "state": "draft"},
    ]
    assert [(i["stage"], i["stage_label"], i["text"], i["basis"], [s["name"] for s in i["steps"]])
            for i in body["responsibility_items"]] == [
        ("acceptance", "受理", "一次性告知补正材料。", "《行政许可法》第三十二条", ["受理", "审查"]),
        ("decision", "决定", "依法作出决定。", "", []),
    ]
    assert body["accountability_circumstances"] == [
        {"text": "对符合法定条件的申请不予受理的;", "ground": "《行政许可法》第七十二条"}]

    sub = client.get(f"/api/v1/powers/{subs[0].pk}/").json()
    assert sub["parent"] == {"id": main.pk, "code": main.code, "name": main.name, "state": "draft"}
    assert sub["sub_items"] == [] and sub["responsibility_items"] == []


@pytest.mark.django_db
def test_a_sub_item_the_user_may_not_see_is_not_listed(org):
    """The province office sees a city's submitted items, never its drafts: a submitted
    main item lists only its submitted sub-item."""
    main, (draft, submitted) = _main_with_subs_and_lists(org, department=org.city_dept, division=org.city_division)
    Power.objects.filter(pk__in=[main.pk, submitted.pk]).update(state=ReviewState.OFFICE_REVIEW)
    client = token_client(org.office_reviewer)
    body = client.get(f"/api/v1/powers/{main.pk}/").json()
    assert [s["code"] for s in body["sub_items"]] == [submitted.code]
    assert client.get(f"/api/v1/powers/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/powers/{submitted.pk}/").json()["parent"]["id"] == main.pk


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 12])
def test_power_list_with_sub_items_and_lists_has_a_constant_query_count(org, n, django_assert_max_num_queries):
    for _ in range(n):
        _main_with_subs_and_lists(org, n_subs=3)
    client = token_client(org.clerk)
    # token+user, roles, department, region, stand-in grants, count, page, legal bases,
    # responsibility items, their steps, circumstances, sub-items
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/powers/", {"page_size": 100})
    results = response.json()["results"]
    assert response.json()["count"] == 4 * n
    mains = [p for p in results if p["parent"] is None]
    assert len(mains) == min(n, len(mains)) and all(len(p["sub_items"]) == 3 for p in mains)
    assert all(len(p["responsibility_items"]) == 2 for p in mains)
    with django_assert_max_num_queries(12):
        client.get(f"/api/v1/powers/{mains[0]['id']}/")
