"""A flowchart's content as data, and what reads it: validation, the time-limit check,
the drawing and the diff between two contents. Nothing here writes.

A flowchart's *content* is plain data, the one shape shared by the editor (before
saving), the review snapshot, the frozen revision, the API and the renderer:

    {"title": str,
     "steps": [{"key": str, "name": str, "post_id": int|None, "post": str,
                "handling_rules": str, "duty_requirements": str, "time_limit_days": int|None,
                "is_checkpoint": bool, "checkpoint_note": str, "counterpart_rights": str,
                "complaint_channels": str, "is_final": bool}, ...],      # in order
     "transitions": [{"source": key, "target": key, "label": str}, ...]}

`key` is the step's id for saved steps (stable across revisions, so diffs and risk
points follow a step), or an editor key ("new-…") for a step not yet saved. The
first step is where the procedure starts.
"""

from django.utils.translation import gettext as _

from powerlist.flowcharts.category_templates import PLACEHOLDER
from powerlist.flowcharts.models import Step
from powerlist.flowcharts.render import ChartEdge, ChartStep, flowchart_svg

STEP_TEXT_FIELDS = (
    "handling_rules", "duty_requirements", "checkpoint_note", "counterpart_rights", "complaint_channels",
)


STEP_FIELDS = ("name", "post_id", "time_limit_days", "is_checkpoint", "is_final") + STEP_TEXT_FIELDS


def step_content(step) -> dict:
    data = {"key": str(step.pk), "post": step.post.name if step.post_id else ""}
    for name in STEP_FIELDS:
        data[name] = getattr(step, name)
    return data


def flowchart_content(flowchart) -> dict:
    """The saved content; two queries (steps with posts, transitions)."""
    steps = list(flowchart.steps.select_related("post").order_by("order", "id"))
    transitions = flowchart.transitions.order_by("id").values_list("source_id", "target_id", "label")
    return {
        "title": flowchart.title,
        "steps": [step_content(s) for s in steps],
        "transitions": [{"source": str(s), "target": str(t), "label": label} for s, t, label in transitions],
    }


def flowchart_snapshot(flowchart) -> dict:
    """Review-machine hook: the content as submitted."""
    return flowchart_content(flowchart)


def chart_parts(content):
    """(ChartStep list, ChartEdge list) for the renderer."""
    steps = [
        ChartStep(
            key=s["key"], name=s.get("name") or _("(未命名环节)"), post=s.get("post") or "",
            time_limit_days=s.get("time_limit_days"), is_checkpoint=bool(s.get("is_checkpoint")),
            is_final=bool(s.get("is_final")),
        )
        for s in content["steps"]
    ]
    edges = [ChartEdge(t["source"], t["target"], t.get("label") or "") for t in content["transitions"]]
    return steps, edges


def content_svg(content, *, highlights=None) -> str:
    steps, edges = chart_parts(content)
    return flowchart_svg(steps, edges, highlights=highlights, title=content.get("title") or "")


def flowchart_render_svg(flowchart, *, highlights=None) -> str:
    """The flowchart's working copy as SVG (cached by content). `highlights` maps a
    step id to a colour (used by the risk-point app to colour steps by risk level)."""
    return content_svg(flowchart_content(flowchart), highlights=highlights)


def _names(content):
    return {s["key"]: (s.get("name") or _("第%(n)s个环节") % {"n": i + 1}) for i, s in enumerate(content["steps"])}


def _successors(content):
    keys = {s["key"] for s in content["steps"]}
    succ = {k: [] for k in keys}
    for t in content["transitions"]:
        if t["source"] in keys and t["target"] in keys:
            succ[t["source"]].append(t["target"])
    return succ


def flowchart_problems(content) -> list:
    """Every rule a submitted flowchart must meet, as readable Chinese messages
    (empty when the flowchart may be submitted). The rules protect citizens: every
    step can be reached, every route ends in a final step, every step names the post
    that handles it, and a complaint channel is given."""
    steps = content["steps"]
    if not steps:
        return [_("流程图还没有任何环节。")]
    problems = []
    names = _names(content)
    succ = _successors(content)
    for i, step in enumerate(steps):
        if not (step.get("name") or "").strip():
            problems.append(_("第%(n)s个环节没有填写环节名称。") % {"n": i + 1})
    reached, todo = {steps[0]["key"]}, [steps[0]["key"]]
    while todo:
        for nxt in succ[todo.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    for step in steps:
        name = names[step["key"]]
        if step["key"] not in reached:
            problems.append(_("环节“%(name)s”无法从第一个环节到达,请添加指向它的流转或删除该环节。") % {"name": name})
        if not succ[step["key"]] and not step.get("is_final"):
            problems.append(_("环节“%(name)s”没有后续环节,又不是终止环节:请添加流转,或标记为终止环节。") % {"name": name})
        if not step.get("post_id"):
            problems.append(_("环节“%(name)s”没有指定承办岗位。") % {"name": name})
        if step.get("is_checkpoint") and not (step.get("checkpoint_note") or "").strip():
            problems.append(_("监督制约环节“%(name)s”没有写明监督制约的内容。") % {"name": name})
        if any(PLACEHOLDER in (step.get(f) or "") for f in STEP_TEXT_FIELDS):
            problems.append(_("环节“%(name)s”仍有待填写的内容(%(mark)s)。") % {"name": name, "mark": PLACEHOLDER})
    if not any(step.get("is_final") for step in steps):
        problems.append(_("流程图没有终止环节。"))
    if not any((step.get("complaint_channels") or "").strip() for step in steps):
        problems.append(_("流程图中没有任何环节填写投诉举报途径和方式,群众将无处投诉。"))
    return problems


def longest_route(content):
    """(days, [step names]) of the longest route from the first step to a step with
    no successor, counting each step's time limit once. Returns (loops back to an
    earlier step, e.g. 补正材料 → 受理) are not counted again; alternative branches are
    not added together, since an applicant follows one of them."""
    steps = content["steps"]
    if not steps:
        return 0, []
    days = {s["key"]: s.get("time_limit_days") or 0 for s in steps}
    names = _names(content)
    succ = _successors(content)
    # Drop the back edges of a depth-first walk from the first step: what remains is
    # acyclic, and its longest path is the longest route without going round a loop.
    forward = {k: [] for k in succ}
    state = {}

    def visit(key):
        state[key] = "open"
        for nxt in succ[key]:
            if state.get(nxt) == "open":
                continue
            forward[key].append(nxt)
            if nxt not in state:
                visit(nxt)
        state[key] = "done"

    visit(steps[0]["key"])
    best = {}

    def walk(key):
        if key not in best:
            options = [walk(nxt) for nxt in forward[key]]
            tail = max(options, key=lambda o: o[0]) if options else (0, [])
            best[key] = (days[key] + tail[0], [key] + tail[1])
        return best[key]

    total, path = walk(steps[0]["key"])
    return total, [names[k] for k in path]


def flowchart_time_check(content, *, power=None) -> dict:
    """Compare the step time limits with the power's promised time limit (or its
    statutory limit when no promise is set). Returns total, route, limit and a
    warning text when the route takes longer than the limit (else None)."""
    total, route = longest_route(content)
    limit, limit_name = None, ""
    if power is not None:
        if power.promised_limit_days is not None:
            limit, limit_name = power.promised_limit_days, _("承诺时限")
        elif power.statutory_limit_days is not None:
            limit, limit_name = power.statutory_limit_days, _("法定时限")
    warning = None
    if limit is not None and total > limit:
        warning = _(
            "各环节时限合计 %(total)s 个工作日(最长路径:%(route)s),超过%(name)s %(limit)s 个工作日,"
            "请压缩环节时限或核对%(name)s。"
        ) % {"total": total, "route": " → ".join(route), "name": limit_name, "limit": limit}
    return {"total": total, "route": route, "limit": limit, "limit_name": limit_name, "warning": warning}


def _field_labels():
    labels = {name: str(Step._meta.get_field(name).verbose_name) for name in STEP_FIELDS if name != "post_id"}
    labels["post"] = str(Step._meta.get_field("post").verbose_name)
    return labels


def _transition_text(t, names):
    text = f"{names.get(t['source'], '?')} → {names.get(t['target'], '?')}"
    return f"{text}({t['label']})" if t.get("label") else text


def flowchart_diff(*, old: dict, new: dict) -> list:
    """What changed between two contents, as (label, old, new) rows for the diff
    table: steps added, removed and edited (field by field), order, transitions."""
    changes = []
    if old.get("title") != new.get("title"):
        changes.append((_("标题"), old.get("title"), new.get("title")))
    old_steps = {s["key"]: s for s in old["steps"]}
    new_steps = {s["key"]: s for s in new["steps"]}
    labels = _field_labels()
    for key, step in new_steps.items():
        if key not in old_steps:
            changes.append((_("新增环节"), "", step.get("name")))
            continue
        before = old_steps[key]
        for field, label in labels.items():
            if (before.get(field) or "") != (step.get(field) or "") and field not in ("is_checkpoint", "is_final"):
                changes.append((_("环节“%(name)s”· %(field)s") % {"name": step.get("name"), "field": label},
                                before.get(field), step.get(field)))
            elif field in ("is_checkpoint", "is_final") and bool(before.get(field)) != bool(step.get(field)):
                changes.append((_("环节“%(name)s”· %(field)s") % {"name": step.get("name"), "field": label},
                                _("是") if before.get(field) else _("否"), _("是") if step.get(field) else _("否")))
    for key, step in old_steps.items():
        if key not in new_steps:
            changes.append((_("删除环节"), step.get("name"), ""))
    common_old = [s["key"] for s in old["steps"] if s["key"] in new_steps]
    common_new = [s["key"] for s in new["steps"] if s["key"] in old_steps]
    if common_old != common_new:
        changes.append((_("环节顺序"), " → ".join(old_steps[k].get("name") or "" for k in common_old),
                        " → ".join(new_steps[k].get("name") or "" for k in common_new)))
    old_names = {k: s.get("name") for k, s in old_steps.items()}
    new_names = {k: s.get("name") for k, s in new_steps.items()}
    def edges(content):
        return {(t["source"], t["target"], t.get("label") or ""): t for t in content["transitions"]}

    old_edges, new_edges = edges(old), edges(new)
    for ident in sorted(old_edges.keys() - new_edges.keys()):
        changes.append((_("删除流转"), _transition_text(old_edges[ident], old_names), ""))
    for ident in sorted(new_edges.keys() - old_edges.keys()):
        changes.append((_("新增流转"), "", _transition_text(new_edges[ident], new_names)))
    return changes
