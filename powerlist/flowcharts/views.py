"""Flowchart pages: list, start (from a template), the editor with live preview,
detail (drawing, outline, review) and the SVG itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powerlist.catalogue.models import Category, Power
from powerlist.catalogue.selectors import category_list
from powerlist.flowcharts.content import (
    content_svg,
    flowchart_content,
    flowchart_diff,
    flowchart_problems,
    flowchart_time_check,
)
from powerlist.flowcharts.forms import (
    FlowchartFilter,
    FlowchartStartForm,
    complete,
    content_from_formsets,
    editor_apply,
    editor_content,
    editor_formsets,
)
from powerlist.flowcharts.models import Flowchart
from powerlist.flowcharts.selectors import content_outline, flowchart_list, flowchart_queryset
from powerlist.flowcharts.services import flowchart_create_for_category, flowchart_create_for_power, flowchart_save
from powerlist.inputs import page_filters
from powerlist.org.permissions import can_create_in, can_edit_item, can_view_item
from powerlist.org.roles import Role
from powerlist.pages import require_readable
from powerlist.posts.models import Post
from powerlist.posts.permissions import can_view_posts
from powerlist.review.permissions import available_actions
from powerlist.review.record import operation_record_for, previous_submission

PAGE_SIZE = 50


def _visible(user, pk):
    chart = get_object_or_404(flowchart_queryset(), pk=pk)
    require_readable(can_view_item(user, chart))
    return chart


def _editable(user, pk):
    chart = _visible(user, pk)
    decision = can_edit_item(user, chart)
    if not decision:
        raise PermissionDenied(decision.reason)
    return chart


def chart_context(chart, content):
    """What every rendering of a chart shows: drawing, outline, problems, time check."""
    return {
        "svg": content_svg(content),
        "outline": content_outline(content),
        "problems": flowchart_problems(content),
        "time_check": flowchart_time_check(content, power=chart.power),
    }


@login_required
def flowchart_list_view(request):
    # A bad value drops that filter, with a message (powerlist/inputs.py).
    filters = page_filters(request, FlowchartFilter(request.GET or None).form)
    department_roles = request.user.has_role(Role.CLERK) or request.user.has_role(Role.DEPARTMENT_REVIEWER)
    if department_roles and "department" not in filters:
        filters["department"] = request.user.department_id
    page = Paginator(flowchart_list(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    department = request.user.department
    can_create = bool(department and can_create_in(request.user, department))
    missing = []
    if can_create:
        have = Flowchart.objects.filter(kind=Flowchart.Kind.CATEGORY, department=department).values("category_id")
        missing = category_list().exclude(pk__in=have)
    return render(request, "powerlist/flowchart_list.html", {
        "page": page, "can_create": can_create, "missing_categories": missing,
        "can_view_posts": bool(department and can_view_posts(request.user, department)),
        "filters": {name: str(value) for name, value in filters.items()},
        "categories": category_list(), "kinds": Flowchart.Kind.choices,
    })


@login_required
@require_POST
def flowchart_category_create_view(request):
    category = get_object_or_404(Category, pk=request.POST.get("category"))
    if not request.user.department_id:
        raise PermissionDenied(_("您的账号未分配部门。"))
    try:
        chart = flowchart_create_for_category(user=request.user, department=request.user.department, category=category)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("powerlist:flowchart_list")
    messages.success(request, _("已按法定程序模板创建“%(title)s”,请按本部门实际修改。") % {"title": chart.title})
    return redirect("powerlist:flowchart_edit", pk=chart.pk)


@login_required
def flowchart_start_view(request, power_pk):
    power = get_object_or_404(Power.objects.select_related("category", "department", "division"), pk=power_pk)
    require_readable(can_view_item(request.user, power))
    existing = Flowchart.objects.filter(power=power).first()
    if existing:
        return redirect("powerlist:flowchart_detail", pk=existing.pk)
    form = FlowchartStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            chart = flowchart_create_for_power(user=request.user, power=power,
                                               blank=form.cleaned_data["start"] == "blank")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("已创建流程图草稿,请补充和调整各环节。"))
            return redirect("powerlist:flowchart_edit", pk=chart.pk)
    source = Flowchart.objects.filter(
        kind=Flowchart.Kind.CATEGORY, department=power.department, category=power.category
    ).first()
    return render(request, "powerlist/flowchart_start.html", {"power": power, "form": form, "source": source})


@login_required
def flowchart_detail_view(request, pk):
    chart = _visible(request.user, pk)
    content = flowchart_content(chart)
    diff_in_force = None
    if chart.in_force_id and chart.in_force.number != chart.revision:
        diff_in_force = flowchart_diff(old=chart.in_force.data["content"], new=content)
    previous = previous_submission(chart)
    diff_previous = flowchart_diff(old=previous.snapshot, new=content) if previous else None
    ctx = chart_context(chart, content)
    ctx.update({
        "chart": chart,
        "can_edit": bool(can_edit_item(request.user, chart)),
        "actions": available_actions(request.user, chart),
        "label": f"{chart._meta.app_label}.{chart._meta.model_name}",
        "log": operation_record_for(chart),
        "revisions": chart.revisions.all(),
        "diff_in_force": diff_in_force,
        "diff_previous": diff_previous,
        "previous": previous,
    })
    return render(request, "powerlist/flowchart_detail.html", ctx)


def _posts(chart):
    return Post.objects.filter(department_id=chart.department_id).order_by("order", "name")


@login_required
def flowchart_edit_view(request, pk):
    chart = _editable(request.user, pk)
    posts = _posts(chart)
    post_names = dict(posts.values_list("pk", "name"))
    version = chart.version
    if request.method == "POST":
        op = request.POST.get("op") or "preview"
        content = editor_content(request.POST, post_names=post_names)
        version = request.POST.get("version") or chart.version
        if op == "save":
            step_formset, transition_formset = editor_formsets(content, posts=posts, data=request.POST)
            if step_formset.is_valid() and transition_formset.is_valid():
                try:
                    flowchart_save(
                        user=request.user, flowchart=chart, expected_version=version,
                        content=content_from_formsets(content["title"], step_formset, transition_formset),
                    )
                except ValidationError as exc:
                    messages.error(request, "; ".join(exc.messages))
                else:
                    messages.success(request, _("流程图已保存。"))
                    return redirect("powerlist:flowchart_detail", pk=chart.pk)
        else:
            content = editor_apply(content, op)
            step_formset, transition_formset = editor_formsets(content, posts=posts)
    else:
        content = flowchart_content(chart)
        step_formset, transition_formset = editor_formsets(content, posts=posts)
    ctx = chart_context(chart, complete(content))
    ctx.update({
        "chart": chart, "title": content["title"], "version": version, "step_formset": step_formset,
        "transition_formset": transition_formset, "has_posts": bool(post_names),
    })
    return render(request, "powerlist/flowchart_edit.html", ctx)


@login_required
@require_POST
def flowchart_preview_view(request, pk):
    """The live preview (htmx): the drawing, outline and problems of the unsaved form."""
    chart = _editable(request.user, pk)
    post_names = dict(_posts(chart).values_list("pk", "name"))
    content = complete(editor_content(request.POST, post_names=post_names))
    return render(request, "powerlist/flowchart_preview.html", chart_context(chart, content))


@login_required
def flowchart_svg_view(request, pk):
    """The drawing as an SVG file; ?version=in_force for the confirmed version."""
    chart = _visible(request.user, pk)
    if request.GET.get("version") == "in_force" and chart.in_force_id:
        svg = chart.in_force.data["svg"]
    else:
        svg = content_svg(flowchart_content(chart))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
