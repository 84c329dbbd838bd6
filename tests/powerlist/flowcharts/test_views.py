"""Flowchart pages: the editor (without JavaScript and with the htmx preview), detail,
the power page panel, the SVG endpoint, the list and the workspace queue."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from powerlist.flowcharts.content import flowchart_content
from powerlist.models import Flowchart, ReviewState
from tests.powerlist.factories import PowerFactory
from tests.powerlist.flowchart_helpers import PostFactory, linear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _form_data(chart, content=None, **extra):
    """The editor's POST data for `content` (default: the saved content)."""
    content = content or flowchart_content(chart)
    data = {"title": content["title"], "version": chart.version,
            "step-TOTAL_FORMS": len(content["steps"]), "step-INITIAL_FORMS": 0,
            "tr-TOTAL_FORMS": len(content["transitions"]), "tr-INITIAL_FORMS": 0}
    for i, s in enumerate(content["steps"]):
        p = f"step-{i}-"
        data.update({p + "key": s["key"], p + "name": s["name"], p + "post": s["post_id"] or "",
                     p + "time_limit_days": "" if s["time_limit_days"] is None else s["time_limit_days"],
                     p + "complaint_channels": s["complaint_channels"]})
        if s["is_final"]:
            data[p + "is_final"] = "on"
        if s["is_checkpoint"]:
            data[p + "is_checkpoint"] = "on"
    for i, t in enumerate(content["transitions"]):
        data.update({f"tr-{i}-source": t["source"], f"tr-{i}-target": t["target"], f"tr-{i}-label": t["label"]})
    data.update(extra)
    return data


def test_editor_shows_form_and_drawing(client, org, power):
    chart = linear(power, ["申请", "受理", "决定"])
    client.force_login(org.clerk)
    response = client.get(reverse("powerlist:flowchart_edit", args=[chart.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "受理" in body
    assert 'hx-post="%s"' % reverse("powerlist:flowchart_preview", args=[chart.pk]) in body
    assert "新增环节" in body and "添加流转" in body and "上移" in body


def test_add_step_without_javascript_adds_a_row_linked_to_the_last_step(client, org, power):
    chart = linear(power, ["申请", "受理"])
    chart.steps.filter(name="受理").update(is_final=False)
    client.force_login(org.clerk)
    response = client.post(reverse("powerlist:flowchart_edit", args=[chart.pk]), _form_data(chart, op="add_step"))
    assert response.status_code == 200
    steps = response.context["step_formset"]
    assert len(steps.forms) == 3
    transitions = response.context["transition_formset"].initial
    assert transitions[-1]["source"] == str(chart.steps.get(name="受理").pk)
    assert transitions[-1]["target"] == steps.forms[2].initial["key"]
    assert chart.steps.count() == 2  # nothing saved yet


def test_move_and_delete_steps_in_the_editor(client, org, power):
    chart = linear(power, ["申请", "受理", "审查", "决定"])
    client.force_login(org.clerk)
    url = reverse("powerlist:flowchart_edit", args=[chart.pk])
    moved = client.post(url, _form_data(chart, op="down:0")).context["step_formset"]
    assert [f.initial["name"] for f in moved.forms] == ["受理", "申请", "审查", "决定"]
    deleted = client.post(url, _form_data(chart, op="delete:1"))
    assert [f.initial["name"] for f in deleted.context["step_formset"].forms] == ["申请", "审查", "决定"]
    keys = {s.name: str(s.pk) for s in chart.steps.all()}
    # The chain stays joined across the removed step.
    assert {"source": keys["申请"], "target": keys["审查"], "label": ""} in deleted.context["transition_formset"].initial


def test_save_with_branch_persists_and_redirects(client, org, power):
    chart = linear(power, ["申请", "受理", "决定"])
    PostFactory(department=org.dept, name="审查岗")
    client.force_login(org.clerk)
    content = flowchart_content(chart)
    content["transitions"].append({"source": content["steps"][1]["key"], "target": content["steps"][2]["key"],
                                   "label": "不符合条件"})
    response = client.post(reverse("powerlist:flowchart_edit", args=[chart.pk]), _form_data(chart, content, op="save"))
    assert response.status_code == 302
    assert chart.transitions.filter(label="不符合条件").exists()
    detail = client.get(response.url).content.decode()
    assert "不符合条件" in detail and "流程文字说明" in detail


def test_save_reports_field_errors_without_saving(client, org, power):
    chart = linear(power, ["申请", "决定"])
    client.force_login(org.clerk)
    data = _form_data(chart, op="save")
    data["step-1-name"] = ""
    data["step-0-time_limit_days"] = "abc"
    response = client.post(reverse("powerlist:flowchart_edit", args=[chart.pk]), data)
    assert response.status_code == 200
    assert response.context["step_formset"].errors[0]["time_limit_days"]
    assert chart.steps.filter(name="决定").exists()


def test_preview_returns_svg_outline_problems_and_time_warning(client, org, power):
    chart = linear(power, ["申请", "决定"])
    client.force_login(org.clerk)
    data = _form_data(chart)
    data["step-1-name"] = "作出许可决定"
    data["step-1-time_limit_days"] = "30"
    data["step-1-post"] = ""
    response = client.post(reverse("powerlist:flowchart_preview", args=[chart.pk]), data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<svg" in body and "<html" not in body
    assert body.count("作出许可决定") >= 2  # in the drawing and in the outline
    assert "没有指定承办岗位" in body
    assert "超过承诺时限 10" in body


# The department reviewer reads the chart (403: may not edit); the others may not even
# read it, so it is 404 to them, like a missing chart.
@pytest.mark.parametrize(("username", "status"), [("other_clerk", 404), ("dept_reviewer", 403), ("city_clerk", 404)])
def test_only_clerks_in_scope_open_the_editor(client, org, power, username, status):
    chart = linear(power, ["申请", "决定"])
    client.force_login(getattr(org, username))
    assert client.get(reverse("powerlist:flowchart_edit", args=[chart.pk])).status_code == status
    assert client.post(reverse("powerlist:flowchart_preview", args=[chart.pk]), _form_data(chart)).status_code == status


def test_detail_shows_review_actions_and_submit_refusal_lists_problems(client, org, power):
    chart = linear(power, ["申请", "决定"])
    chart.steps.update(complaint_channels="")
    client.force_login(org.clerk)
    body = client.get(reverse("powerlist:flowchart_detail", args=[chart.pk])).content.decode()
    assert "提交审核" in body and "投诉举报途径" in body
    url = reverse("powerlist:review_action", args=["powerlist.flowchart", chart.pk, "submit"])
    response = client.post(url, {"version": chart.version}, follow=True)
    assert "流程图不能提交" in response.content.decode()
    chart.refresh_from_db()
    assert chart.state == ReviewState.DRAFT


def test_power_page_offers_to_start_and_then_shows_chart(client, org, power):
    client.force_login(org.clerk)
    page = client.get(reverse("powerlist:power_detail", args=[power.pk])).content.decode()
    start = reverse("powerlist:flowchart_start", args=[power.pk])
    assert start in page
    response = client.post(start, {"start": "template"})
    chart = Flowchart.objects.get(power=power)
    assert response.url == reverse("powerlist:flowchart_edit", args=[chart.pk])
    page = client.get(reverse("powerlist:power_detail", args=[power.pk])).content.decode()
    assert "<svg" in page and "受理" in page and "流程文字说明" in page


def test_svg_endpoint_serves_svg_and_confirmed_version(client, org, power):
    from tests.powerlist.helpers import confirm

    chart = confirm(org, linear(power, ["申请", "决定"]))
    client.force_login(org.office_reviewer)
    response = client.get(reverse("powerlist:flowchart_svg", args=[chart.pk]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "申请" in response.content.decode()
    in_force = client.get(reverse("powerlist:flowchart_svg", args=[chart.pk]) + "?version=in_force")
    assert in_force.content.decode().startswith("<svg")


def test_draft_is_hidden_from_other_department(client, org, power):
    chart = linear(power, ["申请", "决定"])
    client.force_login(org.other_clerk)
    assert client.get(reverse("powerlist:flowchart_detail", args=[chart.pk])).status_code == 404
    assert client.get(reverse("powerlist:flowchart_svg", args=[chart.pk])).status_code == 404


def test_list_has_constant_query_count(client, org, django_assert_max_num_queries):
    for _i in range(12):
        linear(PowerFactory(department=org.dept, division=org.division), ["申请", "决定"])
    client.force_login(org.clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("powerlist:flowchart_list"))
    assert len(response.context["page"].object_list) == 12


def test_category_flowchart_created_from_list_page(client, org):
    from powerlist.models import Category

    client.force_login(org.clerk)
    category = Category.objects.get(code="CF")
    response = client.post(reverse("powerlist:flowchart_category_create"), {"category": category.pk})
    chart = Flowchart.objects.get(kind="category", department=org.dept, category=category)
    assert response.url == reverse("powerlist:flowchart_edit", args=[chart.pk])


def test_workspace_queue_lists_flowcharts_waiting_for_reviewer(client, org, power):
    chart = linear(power, ["申请", "决定"])
    Flowchart.objects.filter(pk=chart.pk).update(state=ReviewState.DEPARTMENT_REVIEW)
    client.force_login(org.dept_reviewer)
    body = client.get(reverse("powerlist:workspace_role", args=["department-review"])).content.decode()
    assert reverse("powerlist:flowchart_detail", args=[chart.pk]) in body


def test_office_reviewer_lists_flowcharts_of_the_region_past_draft(client, org, power):
    draft = linear(power, ["申请", "决定"])
    submitted = linear(PowerFactory(department=org.dept, division=org.division), ["申请", "决定"])
    Flowchart.objects.filter(pk=submitted.pk).update(state=ReviewState.OFFICE_REVIEW)
    client.force_login(org.office_reviewer)
    listed = list(client.get(reverse("powerlist:flowchart_list")).context["page"].object_list)
    assert submitted in listed and draft in listed  # same region: drafts too, as for powers
    client.force_login(org.city_office_reviewer)
    assert list(client.get(reverse("powerlist:flowchart_list")).context["page"].object_list) == []
