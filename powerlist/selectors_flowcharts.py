"""Reads for flowcharts and posts, scoped to the user in SQL (the same scopes as
selectors.visible_q and permissions.can_view_item)."""

from powerlist.models import Flowchart, Post, ReviewState, Step
from powerlist.permissions import can_view_item
from powerlist.selectors import review_queue_q, visible_q


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


def flowchart_review_queue(user, role):
    """Flowcharts waiting for `user` acting as `role` (the same queue rules as powers)."""
    return flowchart_queryset().filter(review_queue_q(user, role)).order_by("submitted_at", "id")


def flowchart_queue_context(user, role, *, limit=50):
    """Template context for the workspace's flowchart queue (two queries)."""
    queue = flowchart_review_queue(user, role)
    return {"flowchart_queue": list(queue[:limit]), "flowchart_queue_total": queue.count()}


def power_flowchart_panel(*, user, power):
    """What the power page shows of the power's flowchart: the chart (None when there
    is none yet) and whether the user may start one."""
    from powerlist.permissions import can_create_in
    from powerlist.services.flowcharts import content_svg, flowchart_content, flowchart_time_check

    chart = flowchart_queryset().filter(power=power).first()
    content = flowchart_content(chart) if chart else None
    may_start = bool(
        chart is None
        and can_create_in(user, power.department)
        and (not user.division_id or user.division_id == power.division_id)
    )
    return {
        "flowchart": chart,
        "content": content,
        "time_check": flowchart_time_check(content, power=power) if content else None,
        "svg": content_svg(content) if content else "",
        "outline": content_outline(content) if content else [],
        "can_start": may_start,
    }


class _DepartmentScope:
    """Stands for "published content of this department" in can_view_item: posts are
    not reviewed, so they are readable wherever the department's confirmed items are."""

    state = ReviewState.CONFIRMED

    def __init__(self, department):
        self.department_id = department.pk
        self.region_id = department.region_id
        self.region = department.region


def can_view_posts(user, department):
    return can_view_item(user, _DepartmentScope(department))


def post_queryset():
    return Post.objects.select_related("department", "division")


def post_list_with_powers(*, department):
    """The department's posts, each with the powers it touches: those whose flowchart
    has a step naming the post, plus those added by hand. Three queries in all."""
    posts = list(
        post_queryset().filter(department=department).prefetch_related("extra_powers").order_by("order", "name")
    )
    derived = (
        Step.objects.filter(post__department=department, flowchart__power__isnull=False)
        .values_list("post_id", "flowchart__power_id", "flowchart__power__code", "flowchart__power__name")
        .distinct()
    )
    by_post = {}
    for post_id, power_id, code, name in derived:
        by_post.setdefault(post_id, {})[power_id] = {"id": power_id, "code": code, "name": name, "derived": True}
    for post in posts:
        powers = by_post.get(post.pk, {})
        for power in post.extra_powers.all():
            powers.setdefault(power.pk, {"id": power.pk, "code": power.code, "name": power.name, "derived": False})
        post.powers_touched = sorted(powers.values(), key=lambda p: p["code"])
    return posts


def post_steps(post):
    """The flowchart steps that name a post (for its description page)."""
    return (
        Step.objects.filter(post=post)
        .select_related("flowchart", "flowchart__power")
        .order_by("flowchart__title", "order")
    )


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
