"""Flowcharts: validation, the time-limit check, Graphviz rendering and its cache,
templates, saving, and review (revisions in force, diffs)."""

import re
from unittest import mock

import graphviz
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from powerlist.flowcharts.category_templates import PLACEHOLDER
from powerlist.flowcharts.content import (
    flowchart_content,
    flowchart_diff,
    flowchart_problems,
    flowchart_time_check,
    longest_route,
)
from powerlist.flowcharts.render import ChartEdge, ChartStep, flowchart_dot, flowchart_svg
from powerlist.flowcharts.services import flowchart_create_for_category, flowchart_create_for_power, flowchart_save
from powerlist.models import Category, Flowchart, FlowchartRevision, Post, ReviewState, Step
from powerlist.org.roles import Role
from powerlist.review.engine import review_start_revision, review_submit
from powerlist.flowcharts.flow_contract import FlowchartContract
from powerlist.review.queues import queue_queryset
from tests.powerlist.factories import PowerFactory
from tests.powerlist.flowchart_helpers import CHANNEL, PostFactory, build_chart, linear
from tests.powerlist.helpers import confirm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


# ---------------------------------------------------------------- validation


def test_valid_chart_has_no_problems(power):
    chart = linear(power, ["申请", "受理", "决定"])
    assert flowchart_problems(flowchart_content(chart)) == []


def test_unreachable_step_is_a_problem(power):
    chart = build_chart(power, ["申请", "受理", "孤立环节"], [(0, 1)])
    chart.steps.filter(name="受理").update(is_final=True)
    problems = flowchart_problems(flowchart_content(chart))
    assert any("孤立环节" in p and "无法从第一个环节到达" in p for p in problems)


def test_dead_end_that_is_not_final_is_a_problem(power):
    chart = build_chart(power, ["申请", "审查", {"name": "决定", "is_final": True}], [(0, 1)])
    problems = flowchart_problems(flowchart_content(chart))
    assert any("审查" in p and "没有后续环节" in p for p in problems)


def test_step_without_post_is_a_problem(power):
    chart = linear(power, ["申请", "受理"])
    chart.steps.filter(name="受理").update(post=None)
    problems = flowchart_problems(flowchart_content(chart))
    assert problems == ["环节“受理”没有指定承办岗位。"]


def test_no_complaint_channel_anywhere_is_a_problem(power):
    chart = linear(power, ["申请", "受理"])
    chart.steps.update(complaint_channels="")
    assert any("投诉举报途径" in p for p in flowchart_problems(flowchart_content(chart)))


def test_checkpoint_without_what_is_checked_is_a_problem(power):
    chart = linear(power, [{"name": "审查", "is_checkpoint": True}, "决定"])
    assert flowchart_problems(flowchart_content(chart)) == ["监督制约环节“审查”没有写明监督制约的内容。"]
    chart.steps.filter(name="审查").update(checkpoint_note="是否两人以上共同审查")
    assert flowchart_problems(flowchart_content(chart)) == []


def test_placeholder_left_from_template_is_a_problem(power):
    chart = linear(power, ["申请", "受理"])
    chart.steps.filter(name="申请").update(complaint_channels=f"电话:{PLACEHOLDER}")
    assert any(PLACEHOLDER in p for p in flowchart_problems(flowchart_content(chart)))


def test_empty_chart_is_a_problem(power):
    assert flowchart_problems({"title": "", "steps": [], "transitions": []}) == ["流程图还没有任何环节。"]


def test_submit_lists_every_problem_and_leaves_draft(org, power):
    chart = build_chart(power, ["申请", "受理", "孤立环节"], [(0, 1)])
    chart.steps.update(complaint_channels="")
    chart.steps.filter(name="受理").update(post=None)
    with pytest.raises(ValidationError) as exc:
        review_submit(user=org.clerk, obj=chart)
    text = " ".join(exc.value.messages)
    for expected in ("无法从第一个环节到达", "没有后续环节", "没有指定承办岗位", "投诉举报途径"):
        assert expected in text
    chart.refresh_from_db()
    assert chart.state == ReviewState.DRAFT


def test_valid_chart_can_be_submitted(org, power):
    chart = linear(power, ["申请", "受理", "决定"])
    chart = review_submit(user=org.clerk, obj=chart)
    assert chart.state == ReviewState.DEPARTMENT_REVIEW


# ---------------------------------------------------------------- time limits


def _days(chart, values):
    for step, days in zip(chart.steps.order_by("order"), values, strict=True):
        step.time_limit_days = days
        step.save()


def test_time_limit_sum_within_promise_has_no_warning(power):
    chart = linear(power, ["申请", "受理", "决定"])
    _days(chart, [0, 5, 5])  # power promises 10 days
    check = flowchart_time_check(flowchart_content(chart), power=power)
    assert check["total"] == 10 and check["warning"] is None


def test_time_limit_sum_over_promise_warns_clearly(power):
    chart = linear(power, ["申请", "受理", "决定"])
    _days(chart, [1, 5, 6])
    check = flowchart_time_check(flowchart_content(chart), power=power)
    assert check["total"] == 12
    assert "12" in check["warning"] and "承诺时限 10" in check["warning"]
    assert "申请 → 受理 → 决定" in check["warning"]


def test_time_limit_falls_back_to_statutory_limit(power):
    power.promised_limit_days = None
    chart = linear(power, ["申请", "决定"])
    _days(chart, [10, 11])
    assert "法定时限 20" in flowchart_time_check(flowchart_content(chart), power=power)["warning"]


def test_time_check_takes_longest_branch_and_ignores_returns(power):
    # 受理 → 审查 → 决定, with a hearing branch 审查 → 听证 → 决定 and a return 审查 → 受理.
    chart = build_chart(
        power, ["受理", "审查", "听证", "决定"],
        [(0, 1), (1, 3, "无需听证"), (1, 2, "需要听证"), (2, 3), (1, 0, "材料不全")],
    )
    _days(chart, [2, 3, 15, 1])
    total, route = longest_route(flowchart_content(chart))
    assert total == 21
    assert route == ["受理", "审查", "听证", "决定"]


# ---------------------------------------------------------------- rendering


def test_render_real_svg_with_chinese_text_through_graphviz(power, settings):
    chart = build_chart(
        power, [{"name": "受理申请", "is_checkpoint": True}, "审查决定", {"name": "不予许可", "is_final": True}],
        [(0, 1, "符合条件"), (0, 2, "不符合条件")],
    )
    svg = flowchart_svg(*_parts(chart), title="企业投资项目核准流程图")
    assert svg.startswith("<svg")
    for text in ("受理申请", "审查决定", "不予许可", "符合条件", "不符合条件", "承办:受理岗", "◆监督制约环节"):
        assert text in svg
    assert f'font-family="{settings.CJK_FONT_FAMILY}' in svg
    assert 'role="img"' in svg and 'aria-label="流程图:企业投资项目核准流程图"' in svg


def _parts(chart):
    from powerlist.flowcharts.content import chart_parts

    return chart_parts(flowchart_content(chart))


def test_dot_marks_checkpoints_and_final_steps_and_applies_highlights():
    steps = [ChartStep("1", "受理", is_checkpoint=True), ChartStep("2", "决定", is_final=True)]
    dot = flowchart_dot(steps, [ChartEdge("1", "2", "符合条件")],
                        highlights={"1": "#ff0000", "2": 'red"]; evil [label="x'})
    assert re.search(r's0 \[.*penwidth=2.*fillcolor="#ff0000"', dot)
    assert re.search(r"s1 \[.*peripheries=2", dot)
    assert "evil" not in dot  # an invalid colour is dropped, not pasted into the source
    assert 's0 -> s1 [label="符合条件"]' in dot


def test_labels_cannot_inject_dot_or_markup():
    steps = [ChartStep("1", 'x"]; injected [label="boom'), ChartStep("2", "<script>alert(1)</script>\\N")]
    dot = flowchart_dot(steps, [ChartEdge("1", "2", 'a"];b->c;//')])
    svg = flowchart_svg(steps, [ChartEdge("1", "2", 'a"];b->c;//')])
    assert svg.count('class="node"') == 3  # start + the two steps: no injected node
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "injected" not in re.findall(r"<title>(.*?)</title>", svg)
    assert "\\\\N" in dot  # a typed backslash stays literal


def test_svg_is_cached_and_redrawn_only_when_content_changes(power):
    chart = linear(power, ["申请", "受理", "决定"])
    calls = []
    real_pipe = graphviz.Source.pipe

    def counting_pipe(self, *args, **kwargs):
        calls.append(1)
        return real_pipe(self, *args, **kwargs)

    with mock.patch.object(graphviz.Source, "pipe", counting_pipe):
        first = flowchart_svg(*_parts(chart))
        second = flowchart_svg(*_parts(chart))
        assert first == second and len(calls) == 1
        step = chart.steps.get(name="受理")
        step.name = "受理登记"
        step.save()
        third = flowchart_svg(*_parts(chart))
        assert len(calls) == 2 and "受理登记" in third


# ---------------------------------------------------------------- templates and creation


def test_power_flowchart_starts_from_legal_template_with_posts(org, power):
    chart = flowchart_create_for_power(user=org.clerk, power=power)
    names = list(chart.steps.order_by("order").values_list("name", flat=True))
    assert names[:5] == ["申请", "受理", "审查", "决定", "送达"]
    assert chart.transitions.filter(label="不符合受理条件").exists()
    assert set(Post.objects.filter(department=org.dept).values_list("name", flat=True)) >= {"受理岗", "审查岗"}
    assert not chart.steps.filter(post__isnull=True).exists()
    assert chart.division_id == power.division_id and chart.state == ReviewState.DRAFT
    # Only the department's own contact details are missing before submission.
    problems = flowchart_problems(flowchart_content(chart))
    assert problems and all(PLACEHOLDER in p for p in problems)


def test_penalty_template_follows_administrative_penalty_law(org):
    category = Category.objects.get(code="CF")
    chart = flowchart_create_for_category(user=org.clerk, department=org.dept, category=category)
    names = list(chart.steps.order_by("order").values_list("name", flat=True))
    for expected in ("立案", "调查取证", "告知", "陈述申辩", "听证", "决定", "送达", "执行"):
        assert expected in names
    assert chart.transitions.filter(label="需要听证").exists()
    assert chart.kind == Flowchart.Kind.CATEGORY and chart.power_id is None
    with pytest.raises(ValidationError):
        flowchart_create_for_category(user=org.clerk, department=org.dept, category=category)


def test_power_flowchart_copies_the_departments_category_flowchart(org, power):
    category_chart = flowchart_create_for_category(user=org.clerk, department=org.dept, category=power.category)
    step = category_chart.steps.get(name="审查")
    step.name = "本厅专家评审"
    step.save()
    chart = flowchart_create_for_power(user=org.clerk, power=power)
    assert chart.steps.filter(name="本厅专家评审").exists()
    assert chart.steps.count() == category_chart.steps.count()
    assert not set(chart.steps.values_list("pk", flat=True)) & set(category_chart.steps.values_list("pk", flat=True))


def test_blank_start_and_one_flowchart_per_power(org, power):
    chart = flowchart_create_for_power(user=org.clerk, power=power, blank=True)
    assert chart.steps.count() == 0
    with pytest.raises(ValidationError):
        flowchart_create_for_power(user=org.clerk, power=power)


@pytest.mark.parametrize("username", ["other_clerk", "dept_reviewer", "office_reviewer"])
def test_only_clerks_in_scope_start_flowcharts(org, power, username):
    with pytest.raises(PermissionDenied):
        flowchart_create_for_power(user=getattr(org, username), power=power)


# ---------------------------------------------------------------- saving


def _content(chart):
    return flowchart_content(chart)


def test_save_keeps_step_ids_and_replaces_transitions(org, power):
    chart = linear(power, ["申请", "受理", "决定"])
    content = _content(chart)
    ids = [s["key"] for s in content["steps"]]
    content["steps"][1]["name"] = "受理登记"
    del content["steps"][0]
    new = dict(content["steps"][0], key="new-1", name="补正材料", is_final=False)
    content["steps"].append(new)
    content["transitions"] = [
        {"source": ids[1], "target": ids[2], "label": "材料齐全"},
        {"source": ids[1], "target": "new-1", "label": "材料不全"},
        {"source": "new-1", "target": ids[1], "label": "补正后"},
    ]
    flowchart_save(user=org.clerk, flowchart=chart, content=content, expected_version=chart.version)
    saved = _content(chart)
    assert [s["name"] for s in saved["steps"]] == ["受理登记", "决定", "补正材料"]
    assert saved["steps"][0]["key"] == ids[1]  # edited step kept its id
    assert not Step.objects.filter(pk=ids[0]).exists()
    assert {t["label"] for t in saved["transitions"]} == {"材料齐全", "材料不全", "补正后"}


def test_save_refuses_posts_of_another_department(org, power):
    chart = linear(power, ["申请", "决定"])
    foreign = PostFactory(department=org.other_dept, name="外部门岗位")
    content = _content(chart)
    content["steps"][0]["post_id"] = foreign.pk
    with pytest.raises(ValidationError):
        flowchart_save(user=org.clerk, flowchart=chart, content=content)


def test_save_refuses_stale_page_and_non_draft_and_other_clerk(org, power):
    chart = linear(power, ["申请", "决定"])
    content = _content(chart)
    with pytest.raises(ValidationError):
        flowchart_save(user=org.clerk, flowchart=chart, content=content, expected_version=chart.version + 5)
    with pytest.raises(PermissionDenied):
        flowchart_save(user=org.other_clerk, flowchart=chart, content=content)
    review_submit(user=org.clerk, obj=chart)
    with pytest.raises(PermissionDenied):
        flowchart_save(user=org.clerk, flowchart=chart, content=content)


# ---------------------------------------------------------------- review and revisions


def test_confirmation_freezes_revision_with_svg_and_it_stays_in_force_during_revision(org, power):
    chart = linear(power, ["申请", "受理", "决定"])
    chart = confirm(org, chart)
    assert chart.state == ReviewState.CONFIRMED
    chart.refresh_from_db()
    revision = chart.in_force
    assert revision.number == 1 and "受理" in revision.data["svg"]
    assert [s["name"] for s in revision.data["content"]["steps"]] == ["申请", "受理", "决定"]

    chart = review_start_revision(user=org.clerk, obj=chart)
    content = _content(chart)
    content["steps"][1]["name"] = "受理审查"
    content["steps"][1]["time_limit_days"] = 3
    added = dict(content["steps"][1], key="new-x", name="听证", time_limit_days=None)
    content["steps"].insert(2, added)
    del content["steps"][0]
    content["transitions"] = [
        {"source": content["steps"][0]["key"], "target": "new-x", "label": "需要听证"},
        {"source": "new-x", "target": content["steps"][2]["key"], "label": ""},
    ]
    content["steps"][0]["complaint_channels"] = CHANNEL
    flowchart_save(user=org.clerk, flowchart=chart, content=content)
    chart.refresh_from_db()
    assert chart.in_force_id == revision.pk  # the confirmed version stays in force

    changes = flowchart_diff(old=revision.data["content"], new=_content(chart))
    labels = [label for label, _old, _new in changes]
    assert ("新增环节", "", "听证") in changes
    assert ("删除环节", "申请", "") in changes
    assert any(label.startswith("环节“受理审查”") and "环节名称" in label for label in labels)
    assert any(label == "新增流转" and "需要听证" in new for label, _old, new in changes)

    chart = confirm(org, chart)
    chart.refresh_from_db()
    assert chart.in_force.number == 2
    assert FlowchartRevision.objects.filter(flowchart=chart).count() == 2


def test_reviewer_sees_what_changed_since_previous_submission(org, power):
    from powerlist.review.engine import review_return
    from powerlist.review.record import previous_submission

    chart = linear(power, ["申请", "决定"])
    chart = review_submit(user=org.clerk, obj=chart)
    chart = review_return(user=org.dept_reviewer, obj=chart, comment="请增加受理环节。")
    content = _content(chart)
    content["steps"].insert(1, dict(content["steps"][1], key="new-1", name="受理", is_final=False,
                                    complaint_channels=""))
    content["transitions"] = [
        {"source": content["steps"][0]["key"], "target": "new-1", "label": ""},
        {"source": "new-1", "target": content["steps"][2]["key"], "label": ""},
    ]
    flowchart_save(user=org.clerk, flowchart=chart, content=content)
    chart = review_submit(user=org.clerk, obj=chart)
    previous = previous_submission(chart)
    assert [s["name"] for s in previous.snapshot["steps"]] == ["申请", "决定"]
    changes = flowchart_diff(old=previous.snapshot, new=_content(chart))
    assert ("新增环节", "", "受理") in changes
    assert ("删除流转", "申请 → 决定", "") in changes


@pytest.mark.parametrize(
    "role, username, state, visible",
    [
        (Role.CLERK, "clerk", ReviewState.DRAFT, True),
        (Role.DEPARTMENT_REVIEWER, "dept_reviewer", ReviewState.DEPARTMENT_REVIEW, True),
        (Role.DEPARTMENT_REVIEWER, "other_reviewer", ReviewState.DEPARTMENT_REVIEW, False),
        (Role.OFFICE_REVIEWER, "office_reviewer", ReviewState.OFFICE_REVIEW, True),
        (Role.OFFICE_REVIEWER, "city_office_reviewer", ReviewState.OFFICE_REVIEW, False),
        (Role.ESTABLISHMENT_CONFIRMER, "establishment", ReviewState.FINAL_REVIEW, True),
        (Role.LEGAL_CONFIRMER, "legal", ReviewState.FINAL_REVIEW, True),
        (Role.LEGAL_CONFIRMER, "city_legal", ReviewState.FINAL_REVIEW, False),
    ],
)
def test_flowchart_review_queue(org, power, role, username, state, visible):
    chart = linear(power, ["申请", "决定"])
    Flowchart.objects.filter(pk=chart.pk).update(state=state)
    queue = queue_queryset(FlowchartContract(), user=getattr(org, username), role=role)
    assert (chart in queue) is visible


def test_clerk_queue_is_limited_to_the_clerks_division(org):
    other = PowerFactory(department=org.dept, division=org.other_division)
    chart = linear(other, ["申请", "决定"])
    assert chart not in queue_queryset(FlowchartContract(), user=org.clerk, role=Role.CLERK)
