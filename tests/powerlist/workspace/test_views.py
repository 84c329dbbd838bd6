"""The workspace: one page per role, refused (403 with the reason) for every other role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from powerlist.context_processors import WORKSPACE_PAGES
from powerlist.models import ReviewState
from powerlist.org.roles import Role
from tests.powerlist.factories import PowerFactory
from tests.powerlist.review.test_matrix import IN_SCOPE as USER_BY_ROLE  # the org fixture's user per role

PAGES = [(role, slug) for role, slug, _label in WORKSPACE_PAGES]


@pytest.mark.django_db
@pytest.mark.parametrize("page_role,slug", PAGES, ids=[slug for _r, slug in PAGES])
@pytest.mark.parametrize("user_role", list(Role))
def test_workspace_page_by_role(client, org, page_role, slug, user_role):
    user = getattr(org, USER_BY_ROLE[user_role])
    client.force_login(user)
    response = client.get(f"/workspace/{slug}/")
    # The administrator is a superuser and may open every page (to help users).
    if user_role == page_role or user.is_superuser:
        assert response.status_code == 200
        assert f"<h1>{escape(str(dict((r, lbl) for r, _s, lbl in WORKSPACE_PAGES)[page_role]))}</h1>" in (
            response.content.decode()
        )
    else:
        assert response.status_code == 403
        body = response.content.decode()
        assert "无权访问" in body
        assert escape(f"此页面仅供“{Role(page_role).label}”使用,您的账号没有该角色。") in body


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/workspace/"] + [f"/workspace/{slug}/" for _r, slug in PAGES])
def test_anonymous_user_is_redirected_to_login(client, org, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.django_db
def test_unknown_workspace_page_is_404(client, org):
    client.force_login(org.clerk)
    assert client.get("/workspace/no-such-role/").status_code == 404


@pytest.fixture
def queue(org):
    """Powers waiting at each stage in the province, and some that must not count."""
    def make(state, n, **kwargs):
        kwargs.setdefault("department", org.dept)
        kwargs.setdefault("division", org.division)
        return [PowerFactory(state=state, **kwargs) for _ in range(n)]

    make(ReviewState.DRAFT, 3)
    make(ReviewState.DRAFT, 1, division=org.other_division)  # another division: not the clerk's
    make(ReviewState.DEPARTMENT_REVIEW, 2)
    make(ReviewState.DEPARTMENT_REVIEW, 4, department=org.other_dept, division=org.other_dept_division)
    make(ReviewState.OFFICE_REVIEW, 5)
    make(ReviewState.OFFICE_REVIEW, 7, department=org.city_dept, division=org.city_division)  # the city's office
    final = make(ReviewState.FINAL_REVIEW, 2)
    final[0].establishment_confirmed_by = org.establishment
    final[0].save(update_fields=["establishment_confirmed_by"])
    make(ReviewState.CONFIRMED, 6)


def _cards(response):
    return {str(card["label"]): card["count"] for card in response.context["cards"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,expected",
    [
        ("clerk", {"我的事项": 3}),
        ("dept_reviewer", {"部门审核": 2}),
        ("other_reviewer", {"部门审核": 4}),
        ("office_reviewer", {"办公室审核": 7 - 2}),
        ("city_office_reviewer", {"办公室审核": 7}),
        ("establishment", {"编委办确认": 1}),
        ("legal", {"法制办确认": 2}),
        ("expert", {"专家评审": None}),
        # The supervisor's card counts the rectifications waiting for a check (none here).
        ("supervisor", {"监督": 0}),
    ],
)
def test_workspace_shows_one_card_per_role_with_the_count_waiting(client, org, queue, username, expected):
    client.force_login(getattr(org, username))
    response = client.get("/workspace/")
    assert response.status_code == 200
    cards = _cards(response)
    assert cards == expected
    body = response.content.decode()
    assert "<h1>工作台</h1>" in body
    for label, count in expected.items():
        assert label in body
        if count is not None:
            assert f'<span class="number">{count}</span>' in body


@pytest.mark.django_db
def test_workspace_of_a_user_with_several_roles(client, org, queue):
    from powerlist.models import RoleAssignment

    RoleAssignment.objects.create(user=org.dept_reviewer, role=Role.CLERK)
    org.dept_reviewer.__dict__.pop("_role_cache", None)
    client.force_login(org.dept_reviewer)
    cards = _cards(client.get("/workspace/"))
    assert cards == {"我的事项": 4, "部门审核": 2}  # no division: the whole department's drafts


@pytest.mark.django_db
def test_workspace_without_roles_says_so(client, org):
    from tests.powerlist.factories import UserFactory

    client.force_login(UserFactory(department=org.dept))
    response = client.get("/workspace/")
    assert response.status_code == 200
    assert "您的账号尚未分配角色" in response.content.decode()


@pytest.mark.django_db
def test_clerk_queue_lists_own_drafts_and_items_in_review(client, org, queue):
    client.force_login(org.clerk)
    response = client.get("/workspace/clerk/")
    assert response.context["queue_total"] == 3
    powers, = (q for q in response.context["queues"] if q.model_label == "powerlist.power")
    assert {p.state for p in powers.items} == {ReviewState.DRAFT}
    in_review = list(response.context["in_review"])
    assert {p.state for p in in_review} == {
        ReviewState.DEPARTMENT_REVIEW, ReviewState.OFFICE_REVIEW, ReviewState.FINAL_REVIEW,
    }
    assert all(p.department_id == org.dept.id for p in in_review)


@pytest.mark.django_db
def test_reviewer_queue_filters_by_category(client, org, queue):
    from tests.powerlist.factories import CategoryFactory

    other = CategoryFactory(code="CF", name="行政处罚", short_name="处罚", order=20)
    PowerFactory(state=ReviewState.OFFICE_REVIEW, department=org.dept, division=org.division, category=other)
    client.force_login(org.office_reviewer)
    assert client.get("/workspace/office-review/").context["queue_total"] == 6
    response = client.get("/workspace/office-review/", {"category": other.pk})
    assert response.context["queue_total"] == 1


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,slug,state",
    [
        ("clerk", "clerk", ReviewState.DRAFT),
        ("dept_reviewer", "department-review", ReviewState.DEPARTMENT_REVIEW),
        ("office_reviewer", "office-review", ReviewState.OFFICE_REVIEW),
        ("legal", "legal-confirmation", ReviewState.FINAL_REVIEW),
    ],
)
def test_queue_page_query_count_does_not_grow_with_the_queue(client, org, username, slug, state):
    client.force_login(getattr(org, username))
    path = f"/workspace/{slug}/"
    for _ in range(2):
        PowerFactory(state=state, department=org.dept, division=org.division)
    few, _response = _queries(client, path)
    for _ in range(30):
        PowerFactory(state=state, department=org.dept, division=org.division)
    many, response = _queries(client, path)
    assert response.context["queue_total"] == 32
    assert many == few
    # 15, plus the rectification kind's count and rows on the clerk's and department
    # reviewer's pages (supervision.inspections), plus two queries each for disclosure's
    # non-disclosure entries and adjustment notes.
    assert many <= 21


@pytest.mark.django_db
def test_workspace_overview_counts_in_one_query_per_page(client, org, queue, django_assert_max_num_queries):
    client.force_login(org.clerk)
    # Session and user, roles, stand-ins, the header's unread-message count, the
    # department-administrator panel's grant lookup, and one aggregate per kind of flow
    # item (powers, flowcharts, risk points, rectifications, non-disclosure entries,
    # adjustment notes).
    with django_assert_max_num_queries(13):
        client.get("/workspace/")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-3", "1.5"])
def test_queue_page_leaves_out_a_bad_filter_and_says_so(client, org, queue, value):
    client.force_login(org.office_reviewer)
    response = client.get("/workspace/office-review/", {"category": value})
    assert response.status_code == 200
    assert response.context["queue_total"] == 5  # the unfiltered queue
    assert "筛选条件“职权类别”的值无效,已忽略。" in response.content.decode()


@pytest.mark.django_db
def test_comment_boxes_say_which_action_needs_a_comment(client, org, queue):
    """The flow says a return needs a comment and an approval may have one: the batch form
    of the queue and the item's review form both label the box so."""
    client.force_login(org.dept_reviewer)
    body = client.get("/workspace/department-review/").content.decode()
    assert "意见(“退回修改”时必填)" in body
    power = PowerFactory(state=ReviewState.DEPARTMENT_REVIEW, department=org.dept, division=org.division)
    body = client.get(f"/powers/{power.pk}/").content.decode()
    assert '<label for="review-comment">意见(“退回修改”时必填)</label>' in body
    client.force_login(org.clerk)
    body = client.get(f"/powers/{PowerFactory(department=org.dept, division=org.division).pk}/").content.decode()
    assert 'id="review-comment"' not in body  # submitting takes no comment
