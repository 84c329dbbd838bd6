"""A new step goes where the clerk asks ("在此后插入"), and "新增环节" goes before the end
steps, never after them; the editor says when a chart that may be submitted also
carries a time-limit reminder."""

import pytest
from django.urls import reverse

from powerlist.flowcharts.content import flowchart_content
from powerlist.flowcharts.forms import editor_apply
from tests.powerlist.flowchart_helpers import build_chart, linear
from tests.powerlist.flowcharts.test_views import _form_data

pytestmark = pytest.mark.django_db


def _step(key, name, final=False):
    return {"key": key, "name": name, "post_id": None, "post": "", "time_limit_days": None,
            "is_checkpoint": False, "is_final": final, "handling_rules": "", "duty_requirements": "",
            "checkpoint_note": "", "counterpart_rights": "", "complaint_channels": ""}


# 受理 → 审查 → 决定 → 准予许可(end); 决定 → 不予许可(end, "不符合条件")
CHART = {
    "title": "许可",
    "steps": [_step("1", "受理"), _step("2", "审查"), _step("3", "决定"),
              _step("4", "准予许可", final=True), _step("5", "不予许可", final=True)],
    "transitions": [
        {"source": "1", "target": "2", "label": ""},
        {"source": "2", "target": "3", "label": "材料齐全"},
        {"source": "3", "target": "4", "label": "符合条件"},
        {"source": "3", "target": "5", "label": "不符合条件"},
    ],
}


def _names(content):
    return [s["name"] or "(new)" for s in content["steps"]]


def _links(content):
    names = {s["key"]: s["name"] or "(new)" for s in content["steps"]}
    return {(names[t["source"]], names[t["target"]], t["label"]) for t in content["transitions"]}


def test_insert_after_a_step_splices_it_into_the_chain():
    content = editor_apply(CHART, "insert_after:1")
    assert _names(content) == ["受理", "审查", "(new)", "决定", "准予许可", "不予许可"]
    assert _links(content) == {
        ("受理", "审查", ""),
        ("审查", "(new)", "材料齐全"),  # the link keeps its condition
        ("(new)", "决定", ""),
        ("决定", "准予许可", "符合条件"),
        ("决定", "不予许可", "不符合条件"),
    }


def test_insert_after_the_first_step():
    content = editor_apply(CHART, "insert_after:0")
    assert _names(content) == ["受理", "(new)", "审查", "决定", "准予许可", "不予许可"]
    assert ("受理", "(new)", "") in _links(content) and ("(new)", "审查", "") in _links(content)
    assert ("受理", "审查", "") not in _links(content)


def test_insert_after_a_branching_step_adds_the_step_without_rewiring_the_branches():
    content = editor_apply(CHART, "insert_after:2")
    assert _names(content) == ["受理", "审查", "决定", "(new)", "准予许可", "不予许可"]
    assert _links(content) == _links(CHART)


def test_new_step_goes_before_the_end_steps():
    content = editor_apply(CHART, "add_step")
    # The last step that is not an end step is 决定, which branches: the new step goes
    # after it and before both end steps, and the branches stay as they were.
    assert _names(content) == ["受理", "审查", "决定", "(new)", "准予许可", "不予许可"]
    assert _links(content) == _links(CHART)


def test_new_step_before_a_single_end_step_is_spliced_in():
    chart = {"title": "备案", "steps": [_step("1", "受理"), _step("2", "办结", final=True)],
             "transitions": [{"source": "1", "target": "2", "label": ""}]}
    content = editor_apply(chart, "add_step")
    assert _names(content) == ["受理", "(new)", "办结"]
    assert _links(content) == {("受理", "(new)", ""), ("(new)", "办结", "")}


def test_new_step_in_an_empty_chart():
    content = editor_apply({"title": "", "steps": [], "transitions": []}, "add_step")
    assert _names(content) == ["(new)"] and content["transitions"] == []


def test_insert_after_an_unknown_step_changes_nothing():
    assert editor_apply(CHART, "insert_after:9") == CHART


def test_editor_offers_insert_after_each_step(client, org, power):
    chart = linear(power, ["申请", "受理", "决定"])
    client.force_login(org.clerk)
    body = client.get(reverse("powerlist:flowchart_edit", args=[chart.pk])).content.decode()
    assert body.count('name="op" value="insert_after:') == 3
    assert 'aria-label="在此后插入(第 2 步之后)"' in body


def test_insert_after_through_the_editor_page(client, org, power):
    chart = linear(power, ["申请", "受理", "决定"])
    client.force_login(org.clerk)
    url = reverse("powerlist:flowchart_edit", args=[chart.pk])
    response = client.post(url, _form_data(chart, op="insert_after:0"))
    assert [f.initial["name"] for f in response.context["step_formset"].forms] == ["申请", "", "受理", "决定"]
    assert chart.steps.count() == 3  # nothing saved yet


def _slow_chart(power):
    """A chart that may be submitted but takes 30 working days against a promise of 10."""
    return build_chart(power, [{"name": "受理", "time_limit_days": 10}, {"name": "决定", "time_limit_days": 20}],
                       [(0, 1)])


def test_editor_says_submittable_with_one_reminder_beside_a_time_warning(client, org, power):
    chart = _slow_chart(power)
    client.force_login(org.clerk)
    body = client.get(reverse("powerlist:flowchart_edit", args=[chart.pk])).content.decode()
    assert "提醒(不影响提交):" in body
    assert "流程图已满足提交条件(另有 1 条提醒,不影响提交)。" in body
    assert "流程图已满足提交条件。" not in body


def test_editor_says_plainly_submittable_without_a_warning(client, org, power):
    chart = linear(power, ["受理", "决定"])
    client.force_login(org.clerk)
    body = client.get(reverse("powerlist:flowchart_edit", args=[chart.pk])).content.decode()
    assert "流程图已满足提交条件。" in body
    assert "另有 1 条提醒" not in body


def test_preview_uses_the_same_wording(client, org, power):
    chart = _slow_chart(power)
    client.force_login(org.clerk)
    response = client.post(reverse("powerlist:flowchart_preview", args=[chart.pk]),
                           _form_data(chart, flowchart_content(chart)))
    assert "流程图已满足提交条件(另有 1 条提醒,不影响提交)。" in response.content.decode()
