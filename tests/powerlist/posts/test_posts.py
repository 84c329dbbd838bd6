"""Posts (岗位说明书): services, the department posts page with the powers each post
touches (constant queries), permissions, and the API for posts and flowcharts."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from powerlist.models import Post
from powerlist.posts.services import post_create, post_delete, post_update
from tests.powerlist.factories import PowerFactory
from tests.powerlist.flowchart_helpers import PostFactory, build_chart, linear

pytestmark = pytest.mark.django_db


def test_clerk_creates_and_updates_post_with_extra_powers(org, power):
    post = post_create(user=org.clerk, department=org.dept,
                       data={"name": "综合审查岗", "division": org.division, "duties": "审查申请材料。"},
                       extra_powers=[power])
    assert list(post.extra_powers.all()) == [power]
    post = post_update(user=org.clerk, post=post, data={"qualifications": "具有法律职业资格。"})
    assert Post.objects.get(pk=post.pk).qualifications == "具有法律职业资格。"


def test_post_rules(org, power):
    post_create(user=org.clerk, department=org.dept, data={"name": "受理岗"})
    with pytest.raises(ValidationError):
        post_create(user=org.clerk, department=org.dept, data={"name": "受理岗"})
    with pytest.raises(ValidationError):
        post_create(user=org.clerk, department=org.dept, data={"name": "外处岗", "division": org.other_dept_division})
    foreign_power = PowerFactory(department=org.other_dept, division=org.other_dept_division)
    with pytest.raises(ValidationError):
        post_create(user=org.clerk, department=org.dept, data={"name": "越界岗"}, extra_powers=[foreign_power])
    for username in ("other_clerk", "dept_reviewer", "office_reviewer"):
        with pytest.raises(PermissionDenied):
            post_create(user=getattr(org, username), department=org.dept, data={"name": "新岗位"})


def test_post_named_by_a_step_cannot_be_deleted(org, power):
    chart = linear(power, ["申请", "决定"])
    post = chart.steps.first().post
    with pytest.raises(ValidationError):
        post_delete(user=org.clerk, post=post)
    unused = PostFactory(department=org.dept, name="空闲岗")
    post_delete(user=org.clerk, post=unused)
    assert not Post.objects.filter(pk=unused.pk).exists()


def test_department_page_lists_posts_with_powers_in_constant_queries(client, org, django_assert_max_num_queries):
    accept = PostFactory(department=org.dept, name="受理岗")
    review = PostFactory(department=org.dept, name="审查岗")
    powers = [PowerFactory(department=org.dept, division=org.division) for _i in range(8)]
    for power in powers:
        linear(power, ["申请", "审查"], posts=[accept, review])
    extra = PowerFactory(department=org.dept, division=org.division, name="另行指定事项")
    review.extra_powers.add(extra)
    client.force_login(org.clerk)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("powerlist:post_list"))
    posts = {p.name: p for p in response.context["posts"]}
    assert {p["id"] for p in posts["受理岗"].powers_touched} == {p.pk for p in powers}
    assert len(posts["审查岗"].powers_touched) == 9
    assert any(not p["derived"] and p["name"] == "另行指定事项" for p in posts["审查岗"].powers_touched)
    body = response.content.decode()
    assert "另行指定" in body and powers[0].code in body


def test_post_pages_for_clerk_and_refusals(client, org, power):
    client.force_login(org.clerk)
    response = client.post(reverse("powerlist:post_create"), {"name": "法制审核岗", "order": 0})
    assert response.status_code == 302
    post = Post.objects.get(department=org.dept, name="法制审核岗")
    assert client.get(reverse("powerlist:post_detail", args=[post.pk])).status_code == 200
    response = client.post(reverse("powerlist:post_edit", args=[post.pk]),
                           {"name": "法制审核岗", "duties": "审核合法性。", "order": 1, "extra_powers": [power.pk]})
    assert response.status_code == 302
    assert list(Post.objects.get(pk=post.pk).extra_powers.all()) == [power]
    # Another department's posts: not readable for a clerk, so 404 like a missing post.
    client.force_login(org.other_clerk)
    assert client.get(reverse("powerlist:post_edit", args=[post.pk])).status_code == 404
    assert client.post(reverse("powerlist:post_delete", args=[post.pk])).status_code == 404
    client.force_login(org.city_clerk)
    assert client.get(reverse("powerlist:post_detail", args=[post.pk])).status_code == 404


# ---------------------------------------------------------------- API


@pytest.fixture
def api(client):
    cache.clear()
    return client


def test_api_flowchart_json_and_svg(api, org, power):
    chart = build_chart(power, ["受理", "审查", "决定"], [(0, 1), (1, 2, "符合条件")])
    api.force_login(org.clerk)
    data = api.get(f"/api/v1/flowcharts/{chart.pk}/").json()
    assert [s["name"] for s in data["steps"]] == ["受理", "审查", "决定"]
    assert data["transitions"][1]["label"] == "符合条件"
    assert data["problems"] == [] and data["time_check"]["limit"] == 10
    svg = api.get(f"/api/v1/flowcharts/{chart.pk}/svg/")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert "符合条件" in svg.content.decode()
    listing = api.get("/api/v1/flowcharts/").json()
    assert [f["id"] for f in listing["results"]] == [chart.pk]


def test_api_flowchart_scope_and_content_update(api, org, power):
    chart = linear(power, ["申请", "决定"])
    api.force_login(org.city_clerk)
    assert api.get(f"/api/v1/flowcharts/{chart.pk}/").status_code == 404
    assert api.get(f"/api/v1/flowcharts/{chart.pk}/svg/").status_code == 404
    api.force_login(org.clerk)
    data = api.get(f"/api/v1/flowcharts/{chart.pk}/").json()
    steps = data["steps"] + [dict(data["steps"][-1], key="new-1", name="送达", is_final=True)]
    steps[1]["is_final"] = False
    body = {"version": data["version"], "title": data["title"], "steps": steps,
            "transitions": data["transitions"] + [{"source": steps[1]["key"], "target": "new-1", "label": ""}]}
    response = api.put(f"/api/v1/flowcharts/{chart.pk}/content/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert [s["name"] for s in response.json()["steps"]] == ["申请", "决定", "送达"]
    stale = api.put(f"/api/v1/flowcharts/{chart.pk}/content/", body, content_type="application/json")
    assert stale.status_code == 409
    api.force_login(org.other_clerk)
    assert api.put(f"/api/v1/flowcharts/{chart.pk}/content/", body,
                   content_type="application/json").status_code == 404


def test_api_posts(api, org, power):
    chart = linear(power, ["申请", "决定"])
    post = chart.steps.first().post
    api.force_login(org.clerk)
    posts = api.get("/api/v1/posts/").json()
    assert posts[0]["name"] == post.name and posts[0]["powers"][0]["id"] == power.pk
    assert api.get(f"/api/v1/posts/{post.pk}/").json()["powers"][0]["derived"] is True
    api.force_login(org.city_clerk)
    assert api.get(f"/api/v1/posts/?department={org.dept.pk}").status_code == 404
