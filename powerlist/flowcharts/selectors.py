"""Reads for flowcharts and posts, scoped to the user in SQL (the same scopes as
selectors.visible_q and permissions.can_view_item)."""

from powerlist.flowcharts.content import content_svg, flowchart_content, flowchart_time_check
from powerlist.flowcharts.models import Flowchart
from powerlist.org.permissions import can_create_in
from powerlist.org.selectors import visible_q


def flowchart_queryset():
    return Flowchart.objects.select_related("category", "department", "division", "region", "power", "in_force")


def flowchart_list(*, user, filters=None):
    """Flowcharts the user may read. filters: kind, category (id), state, department (id)."""
    filters = filters or {}
    qs = flowchart_queryset().filter(visible_q(user))
    for name in ("kind", "state"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    return qs.order_by("department__order", "department_id", "kind", "category__order", "title", "id")


def power_flowchart_panel(*, user, power):
    """What the power page shows of the power's flowchart: the chart (None when there
    is none yet) and whether the user may start one."""

    chart = flowchart_queryset().filter(power=power).first()
    content = flowchart_content(chart) if chart else None
    may_start = chart is None and bool(can_create_in(user, power.department, division_id=power.division_id))
    return {
        "flowchart": chart,
        "content": content,
        "time_check": flowchart_time_check(content, power=power) if content else None,
        "svg": content_svg(content) if content else "",
        "outline": content_outline(content) if content else [],
        "can_start": may_start,
    }


def content_outline(content):
    """The steps in order, each with the steps that follow it: the text outline shown
    beside the drawing (for screen readers and for printing)."""
    names = {s["key"]: s.get("name") or "" for s in content["steps"]}
    numbers = {s["key"]: i + 1 for i, s in enumerate(content["steps"])}
    outline = []
    for i, step in enumerate(content["steps"]):
        nexts = [
            {"number": numbers[t["target"]], "name": names[t["target"]], "label": t.get("label") or ""}
            for t in content["transitions"]
            if t["source"] == step["key"] and t["target"] in numbers
        ]
        outline.append(dict(step, number=i + 1, next=nexts))
    return outline
