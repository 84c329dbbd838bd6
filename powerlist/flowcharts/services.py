"""Every write to a flowchart: creating one from the category's flowchart or the legal
template, saving the editor's content, the review hooks (precheck on submission,
freezing the confirmed revision). The content shape, its checks and drawing are
powerlist.flowcharts.content."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.catalogue.hooks import power_confirmed, power_content_changed
from powerlist.flowcharts.category_templates import template_for
from powerlist.flowcharts.content import (
    STEP_FIELDS,
    STEP_TEXT_FIELDS,
    content_svg,
    flowchart_content,
    flowchart_problems,
)
from powerlist.flowcharts.models import Flowchart, FlowchartRevision, Step, StepTransition
from powerlist.org.permissions import can_create_in, can_edit_item
from powerlist.posts.models import Post
from powerlist.review.engine import TransitionConflict
from powerlist.review.models import ReviewAction, ReviewState
from powerlist.review.record import operation_record_append
from powerlist.unique import refuse_duplicate

# ---------------------------------------------------------------- review hooks


def flowchart_precheck(*, flowchart, action):
    """On submission, refuse a flowchart that breaks any rule, listing every problem."""
    if action != ReviewAction.SUBMIT:
        return
    problems = flowchart_problems(flowchart_content(flowchart))
    if problems:
        raise ValidationError([_("流程图不能提交:")] + problems)


# ---------------------------------------------------------------- creating


def _template_content(category):
    template = template_for(category.code)
    steps = [dict(step, key=f"new-{i}", post_id=None) for i, step in enumerate(template["steps"])]
    transitions = [
        {"source": f"new-{s}", "target": f"new-{t}", "label": label} for s, t, label in template["transitions"]
    ]
    return {"title": str(template["title"]), "steps": steps, "transitions": transitions}


def _fresh_keys(content):
    """The same content with every step re-keyed as unsaved (for copying)."""
    mapping = {s["key"]: f"new-{i}" for i, s in enumerate(content["steps"])}
    return {
        "title": content["title"],
        "steps": [dict(s, key=mapping[s["key"]]) for s in content["steps"]],
        "transitions": [
            dict(t, source=mapping[t["source"]], target=mapping[t["target"]])
            for t in content["transitions"]
            if t["source"] in mapping and t["target"] in mapping
        ],
    }


def category_source_content(*, department, category):
    """What a new power flowchart of this category starts from: the department's
    category flowchart (its version in force, else its working copy), or the template."""
    chart = (
        Flowchart.objects.filter(kind=Flowchart.Kind.CATEGORY, department=department, category=category)
        .select_related("in_force")
        .first()
    )
    if chart is None:
        return _template_content(category), None
    content = chart.in_force.data["content"] if chart.in_force_id else flowchart_content(chart)
    return _fresh_keys(content), chart


def _resolve_posts(department, content):
    """Steps naming a post by name only (templates, copies from another department)
    get the department's post of that name, created when missing."""
    posts = {p.name: p for p in Post.objects.filter(department=department)}
    for step in content["steps"]:
        if step.get("post_id") and step["post_id"] in {p.pk for p in posts.values()}:
            continue
        name = (step.get("post") or "").strip()
        step["post_id"] = None
        if name:
            if name not in posts:
                posts[name] = Post.objects.create(department=department, name=name, order=len(posts))
            step["post_id"] = posts[name].pk
    return content


def _create(*, user, role, department, category, kind, power=None, title, content):
    chart = Flowchart.objects.create(
        kind=kind, region_id=department.region_id, department=department, category=category, power=power,
        division_id=power.division_id if power else None, title=title,
    )
    _write_content(chart, _resolve_posts(department, content))
    operation_record_append(
        obj=chart, actor=user, role=role, action=ReviewAction.CREATE, from_state="", to_state=ReviewState.DRAFT,
    )
    return chart


def flowchart_create_for_power(*, user, power, blank=False):
    """Start a power's own flowchart as a draft, copied from its category's flowchart
    (the department's category flowchart, else the legal template) unless `blank`.

    Raises PermissionDenied unless a clerk in scope of the power; ValidationError if
    the power already has a flowchart."""
    decision = can_create_in(user, power.department, division_id=power.division_id)
    if not decision:
        raise PermissionDenied(decision.reason)
    def check_free():
        if Flowchart.objects.filter(power=power).exists():
            raise ValidationError(_("该事项已有流程图。"))

    with transaction.atomic():
        check_free()
        if blank:
            content = {"title": "", "steps": [], "transitions": []}
        else:
            content, _source = category_source_content(department=power.department, category=power.category)
        with refuse_duplicate(check_free):
            return _create(
                user=user, role=decision.role, department=power.department, category=power.category,
                kind=Flowchart.Kind.POWER, power=power, title=_("%(name)s流程图") % {"name": power.name},
                content=content,
            )


def flowchart_create_for_category(*, user, department, category):
    """Copy the category's legal template into the department's category flowchart.

    Raises PermissionDenied unless a clerk of the department; ValidationError when the
    department already has one for the category."""
    decision = can_create_in(user, department)
    if not decision:
        raise PermissionDenied(decision.reason)
    def check_free():
        if Flowchart.objects.filter(kind=Flowchart.Kind.CATEGORY, department=department, category=category).exists():
            raise ValidationError(_("本部门已有“%(category)s”类别流程图。") % {"category": category.name})

    with transaction.atomic():
        check_free()
        content = _template_content(category)
        with refuse_duplicate(check_free):
            return _create(
                user=user, role=decision.role, department=department, category=category,
                kind=Flowchart.Kind.CATEGORY, title=content["title"], content=content,
            )


# ---------------------------------------------------------------- saving


def _clean_content(flowchart, content):
    """Check the editor's content against the department: posts must be its own."""
    post_ids = {s["post_id"] for s in content["steps"] if s.get("post_id")}
    valid = set(
        Post.objects.filter(department_id=flowchart.department_id, pk__in=post_ids).values_list("pk", flat=True)
    )
    errors = []
    for i, step in enumerate(content["steps"]):
        if step.get("post_id") and step["post_id"] not in valid:
            errors.append(_("第%(n)s个环节的承办岗位不属于本部门。") % {"n": i + 1})
        if len(step.get("name") or "") > Step._meta.get_field("name").max_length:
            errors.append(_("第%(n)s个环节的名称过长。") % {"n": i + 1})
    keys = {s["key"] for s in content["steps"]}
    for t in content["transitions"]:
        if t["source"] not in keys or t["target"] not in keys:
            errors.append(_("流转指向了不存在的环节。"))
    if errors:
        raise ValidationError(errors)


def _write_content(flowchart, content):
    """Make the saved steps and transitions equal `content`. Steps keep their ids
    (risk points and revisions refer to them); removed steps are deleted."""
    existing = {str(s.pk): s for s in flowchart.steps.all()}
    key_to_step = {}
    for order, data in enumerate(content["steps"]):
        step = existing.pop(data["key"], None) or Step(flowchart=flowchart)
        step.order = order
        for name in STEP_FIELDS:
            value = data.get(name)
            if name in STEP_TEXT_FIELDS or name == "name":
                value = (value or "").strip()
            elif name in ("is_checkpoint", "is_final"):
                value = bool(value)
            setattr(step, name, value)
        step.save()
        key_to_step[data["key"]] = step
    Step.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    flowchart.transitions.all().delete()
    seen = set()
    rows = []
    for t in content["transitions"]:
        source, target = key_to_step.get(t["source"]), key_to_step.get(t["target"])
        ident = (t["source"], t["target"], (t.get("label") or "").strip())
        if source is None or target is None or ident in seen:
            continue
        seen.add(ident)
        rows.append(StepTransition(flowchart=flowchart, source=source, target=target, label=ident[2]))
    StepTransition.objects.bulk_create(rows)


def flowchart_save(*, user, flowchart, content, expected_version=None):
    """Replace a draft flowchart's steps and transitions with `content` (and its title).

    Saving is allowed while the content breaks validation rules (a clerk saves work in
    progress); submission is not. Raises PermissionDenied unless a clerk in scope
    edits a draft; ValidationError on a stale page or posts of another department.
    Bumps `version`, so review forms opened before the edit are refused."""
    with transaction.atomic():
        locked = Flowchart.objects.select_for_update().get(pk=flowchart.pk)
        decision = can_edit_item(user, locked)
        if not decision:
            raise PermissionDenied(decision.reason)
        if expected_version is not None and locked.version != int(expected_version):
            raise TransitionConflict(_("该流程图已被他人修改或已进入审核,请刷新页面后再编辑。"))
        _clean_content(locked, content)
        _write_content(locked, content)
        title = (content.get("title") or "").strip()
        if title:
            locked.title = title[:200]
        locked.version += 1
        locked.save(update_fields=["title", "version", "updated_at"])
        if locked.power_id and locked.in_force_id:
            # A revision of a flowchart in force: the power's risk points may sit elsewhere now.
            power_content_changed(power_ids=[locked.power_id], reason=_("事项流程图已修订"))
    return locked


# ---------------------------------------------------------------- revisions


def flowchart_freeze_revision(*, flowchart):
    """Called by the review machine inside the confirming transaction: the content and
    its drawing become the revision in force (the drawing is kept as confirmed)."""
    content = flowchart_content(flowchart)
    revision = FlowchartRevision.objects.create(
        flowchart=flowchart,
        number=flowchart.revision,
        data={"content": content, "svg": content_svg(content)},
        confirmed_at=timezone.now(),
    )
    Flowchart.objects.filter(pk=flowchart.pk).update(in_force=revision)
    flowchart.in_force = revision
    if flowchart.power_id:
        power_confirmed(power_ids=[flowchart.power_id])
    return revision


