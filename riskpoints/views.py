"""Pages of the risk-point app: thin views over the services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powerlist.catalogue.selectors import power_queryset
from powerlist.flowcharts.content import flowchart_render_svg
from powerlist.inputs import page_filters
from powerlist.models import Flowchart, ReviewState
from powerlist.org.permissions import can_view_item, require
from powerlist.org.roles import Role
from powerlist.pages import apply_errors, querystring_without_page, require_readable
from powerlist.review.permissions import available_actions
from powerlist.review.queues import batch_actions, is_own_work
from powerlist.review.record import operation_record_for, previous_submission
from riskpoints import forms as f
from riskpoints import permissions as perms
from riskpoints import selectors as sel
from riskpoints import services as svc
from riskpoints.models import LEVEL_COLOURS, Countermeasure, DiscretionBenchmark, RiskLevel, RiskPoint

PAGE_SIZE = 50
LABEL = "riskpoints.riskpoint"


def _visible_riskpoint(user, pk):
    riskpoint = get_object_or_404(sel.riskpoint_queryset(), pk=pk)
    require_readable(perms.can_view_riskpoint(user, riskpoint))
    return riskpoint


def _visible_power(user, pk):
    power = get_object_or_404(power_queryset(), pk=pk)
    require_readable(can_view_item(user, power))
    return power


def _flowchart_svg(power, riskpoints):
    """The power's flowchart with each marked step in the colour of its highest level."""
    flowchart = Flowchart.objects.filter(power_id=power.pk).first()
    if flowchart is None:
        return None

    return flowchart_render_svg(flowchart, highlights=sel.step_highlights(riskpoints=riskpoints))


@login_required
def riskpoint_list_view(request):
    form = f.RiskPointFilterForm(request.GET or None)
    qs = sel.riskpoint_list(user=request.user, filters=page_filters(request, form))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "riskpoints/riskpoint_list.html",
                  {"form": form, "page": page, "querystring": querystring_without_page(request)})


@login_required
def queue_view(request):
    """What waits for the user as clerk, department reviewer or office reviewer."""
    user = request.user
    require(perms.can_open_queue(user))
    queues = []
    for role in perms.queue_roles(user):
        qs = sel.riskpoint_review_queue(user=user, role=role)
        queues.append({"role": role, "label": Role(role).label, "items": qs[:PAGE_SIZE], "total": qs.count(),
                       "actions": batch_actions(RiskPoint.flow, role), "own_work": is_own_work(RiskPoint.flow, role)})
    return render(request, "riskpoints/queue.html", {"queues": queues, "label": LABEL})


@login_required
def power_riskpoints_view(request, power_pk):
    """A power's risk points on its flowchart, with its discretion benchmarks."""
    power = _visible_power(request.user, power_pk)
    riskpoints = list(sel.riskpoints_for_power(user=request.user, power=power))
    return render(request, "riskpoints/power_riskpoints.html", {
        "power": power,
        "riskpoints": riskpoints,
        "svg": _flowchart_svg(power, riskpoints),
        "benchmarks": sel.benchmark_list(user=request.user, power=power),
        "can_create": bool(perms.can_create_riskpoint(request.user, power)),
        "legend": _legend(),
    })


def _legend():
    return [(RiskLevel(level).label, colour) for level, colour in LEVEL_COLOURS.items()]


@login_required
def riskpoint_create_view(request, power_pk):
    power = _visible_power(request.user, power_pk)
    require(perms.can_create_riskpoint(request.user, power))
    form = f.RiskPointForm(request.POST or None, power=power)
    if request.method == "POST" and form.is_valid():
        try:
            riskpoint = svc.riskpoint_create(user=request.user, power=power, data=form.content())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存为草稿,请登记防范措施后提交审核。"))
            return redirect("riskpoints:detail", pk=riskpoint.pk)
    return _riskpoint_form_page(request, form, power=power, riskpoint=None)


def _riskpoint_form_page(request, form, *, power, riskpoint):
    rule = svc.grading_rule_for(power.region)
    return render(request, "riskpoints/riskpoint_form.html", {
        "form": form, "power": power, "riskpoint": riskpoint, "rule": rule,
        "high_categories": sel.grading_rule_high_categories(rule),
    })


@login_required
def riskpoint_edit_view(request, pk):
    riskpoint = _visible_riskpoint(request.user, pk)
    require(perms.can_edit_riskpoint(request.user, riskpoint))
    form = f.RiskPointForm(request.POST or None, instance=riskpoint, power=riskpoint.power,
                           initial={"version": riskpoint.version})
    if request.method == "POST" and form.is_valid():
        try:
            svc.riskpoint_update(user=request.user, riskpoint=riskpoint, data=form.content(),
                                 expected_version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("riskpoints:detail", pk=riskpoint.pk)
    return _riskpoint_form_page(request, form, power=riskpoint.power, riskpoint=riskpoint)


@login_required
@require_POST
def riskpoint_delete_view(request, pk):
    riskpoint = _visible_riskpoint(request.user, pk)
    power_pk = riskpoint.power_id
    try:
        svc.riskpoint_delete(user=request.user, riskpoint=riskpoint)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("riskpoints:detail", pk=pk)
    messages.success(request, _("已删除风险点草稿。"))
    return redirect("riskpoints:power", power_pk=power_pk)


@login_required
def riskpoint_detail_view(request, pk):
    user = request.user
    riskpoint = _visible_riskpoint(user, pk)
    expert_only = not can_view_item(user, riskpoint)
    assignments = list(sel.riskpoint_assignments(riskpoint=riskpoint, user=user if expert_only else None))
    own_open = next((a for a in assignments if a.expert_id == user.pk and a.round_version == riskpoint.version
                     and riskpoint.state == ReviewState.OFFICE_REVIEW), None)
    can_assign = bool(perms.can_assign_experts(user, riskpoint))
    previous = None if expert_only else previous_submission(riskpoint)
    suggested, reason = svc.riskpoint_suggest_level(power=riskpoint.power, likelihood=riskpoint.likelihood,
                                                    impact=riskpoint.impact)
    return render(request, "riskpoints/riskpoint_detail.html", {
        "riskpoint": riskpoint,
        "measures": riskpoint.countermeasures.all(),
        "log": operation_record_for(riskpoint),
        "actions": [] if expert_only else available_actions(user, riskpoint),
        "label": LABEL,
        "can_edit": bool(perms.can_edit_riskpoint(user, riskpoint)),
        "can_progress": bool(perms.can_update_measure_progress(user, riskpoint)),
        "assignments": assignments,
        "expert_only": expert_only,
        "assign_form": f.ExpertAssignForm(candidates=sel.expert_candidates(riskpoint=riskpoint))
        if can_assign else None,
        "opinion_form": f.OpinionForm(initial={"verdict": own_open.verdict, "comment": own_open.comment})
        if own_open else None,
        "suggested_level": RiskLevel(suggested).label if suggested else "",
        "suggested_reason": reason,
        "svg": _flowchart_svg(riskpoint.power, [riskpoint]) if riskpoint.step_id else None,
        "legend": _legend(),
        "previous": previous,
        "diff_previous": svc.riskpoint_diff(old=previous.snapshot, new=svc.riskpoint_snapshot(riskpoint))
        if previous else None,
    })


@login_required
@require_POST
def assign_experts_view(request, pk):
    riskpoint = _visible_riskpoint(request.user, pk)
    require(perms.can_assign_experts(request.user, riskpoint))
    form = f.ExpertAssignForm(request.POST, candidates=sel.expert_candidates(riskpoint=riskpoint))
    if not form.is_valid():
        messages.error(request, _("请至少选择一位专家。"))
        return redirect("riskpoints:detail", pk=pk)
    try:
        svc.riskpoint_assign_experts(user=request.user, riskpoint=riskpoint, experts=form.cleaned_data["experts"])
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("已分配专家评审。"))
    return redirect("riskpoints:detail", pk=pk)


@login_required
@require_POST
def opinion_view(request, pk):
    riskpoint = _visible_riskpoint(request.user, pk)
    form = f.OpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择评审意见。"))
        return redirect("riskpoints:detail", pk=pk)
    try:
        svc.riskpoint_record_opinion(user=request.user, riskpoint=riskpoint, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("已提交评审意见。"))
    return redirect("riskpoints:detail", pk=pk)


@login_required
def measure_create_view(request, pk):
    riskpoint = _visible_riskpoint(request.user, pk)
    require(perms.can_edit_riskpoint(request.user, riskpoint))
    return _measure_form(request, riskpoint, None)


@login_required
def measure_edit_view(request, pk):
    measure = get_object_or_404(Countermeasure.objects.select_related("riskpoint"), pk=pk)
    riskpoint = _visible_riskpoint(request.user, measure.riskpoint_id)
    require(perms.can_edit_riskpoint(request.user, riskpoint))
    return _measure_form(request, riskpoint, measure)


def _measure_form(request, riskpoint, measure):
    form = f.CountermeasureForm(request.POST or None, request.FILES or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        try:
            if measure is None:
                svc.countermeasure_create(user=request.user, riskpoint=riskpoint, data=form.content(),
                                          attachment=form.cleaned_data.get("upload"))
            else:
                svc.countermeasure_update(user=request.user, measure=measure, data=form.content(),
                                          attachment=form.cleaned_data.get("upload"),
                                          remove_attachment=form.cleaned_data.get("remove_attachment"))
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "attachment" in exc.error_dict:
                exc.error_dict["upload"] = exc.error_dict.pop("attachment")
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存防范措施。"))
            return redirect("riskpoints:detail", pk=riskpoint.pk)
    return render(request, "riskpoints/measure_form.html", {"form": form, "riskpoint": riskpoint, "measure": measure})


@login_required
@require_POST
def measure_delete_view(request, pk):
    measure = get_object_or_404(Countermeasure, pk=pk)
    riskpoint = _visible_riskpoint(request.user, measure.riskpoint_id)
    svc.countermeasure_delete(user=request.user, measure=measure)
    messages.success(request, _("已删除防范措施。"))
    return redirect("riskpoints:detail", pk=riskpoint.pk)


@login_required
@require_POST
def measure_in_force_view(request, pk):
    measure = get_object_or_404(Countermeasure, pk=pk)
    riskpoint = _visible_riskpoint(request.user, measure.riskpoint_id)
    measure.riskpoint = riskpoint
    svc.countermeasure_mark_in_force(user=request.user, measure=measure)
    messages.success(request, _("已登记措施落实。"))
    return redirect("riskpoints:detail", pk=riskpoint.pk)


@login_required
def measure_attachment_view(request, pk):
    """Attachments are served only here, after the same read check as the risk point."""
    measure = get_object_or_404(Countermeasure, pk=pk)
    _visible_riskpoint(request.user, measure.riskpoint_id)
    if not measure.attachment:
        raise Http404
    return FileResponse(measure.attachment.open("rb"), as_attachment=True,
                        filename=measure.attachment_name or measure.attachment.name.rsplit("/", 1)[-1])


@login_required
def coverage_view(request):
    user = request.user
    require(perms.can_view_coverage(user))
    scope = perms.coverage_scope(user)
    group_by = "region" if scope[0] == "region" and request.GET.get("group") == "region" else "department"
    rows, total = sel.coverage_rows(scope=scope, group_by=group_by)
    lists = {
        "uncovered": (_("尚未排查风险点的事项"), sel.uncovered_powers),
        "no_measure": (_("已确认但无已实施措施的风险点"), sel.confirmed_without_measure),
        "overdue": (_("逾期未完成的防范措施"), sel.overdue_measures),
        "regrading": (_("需重新评级的风险点"), sel.regrading_points),
    }
    current = request.GET.get("list") if request.GET.get("list") in lists else "uncovered"
    title, selector = lists[current]
    page = Paginator(selector(scope=scope), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "riskpoints/coverage.html", {
        "scope": scope, "rows": rows, "total": total, "group_by": group_by,
        "lists": [(k, v[0]) for k, v in lists.items()], "current": current, "list_title": title, "page": page,
        "querystring": querystring_without_page(request),
        "can_edit_rule": scope[0] == "region" and bool(perms.can_edit_grading_rule(user, scope[1])),
    })


@login_required
def grading_rule_view(request):
    user = request.user
    region = user.department.region if user.department_id else None
    if region is None:
        raise PermissionDenied(_("您的账号未分配部门。"))
    require(perms.can_edit_grading_rule(user, region))
    rule = svc.grading_rule_for(region)
    form = f.GradingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            svc.grading_rule_update(user=user, region=region, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存风险等级评定规则。"))
            return redirect("riskpoints:grading_rule")
    return render(request, "riskpoints/grading_rule.html", {"form": form, "region": region})


# ---------------------------------------------------------------- discretion benchmarks

@login_required
def benchmark_list_view(request):
    page = Paginator(sel.benchmark_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "riskpoints/benchmark_list.html", {"page": page})


@login_required
def benchmark_detail_view(request, pk):
    benchmark = get_object_or_404(DiscretionBenchmark.objects.select_related("power", "department"), pk=pk)
    require_readable(perms.can_view_benchmark(request.user, benchmark))
    return render(request, "riskpoints/benchmark_detail.html", {
        "benchmark": benchmark, "rows": benchmark.rows.all(),
        "can_edit": bool(perms.can_edit_benchmark(request.user, benchmark.power)),
    })


@login_required
def benchmark_create_view(request, power_pk):
    power = _visible_power(request.user, power_pk)
    require(perms.can_edit_benchmark(request.user, power))
    return _benchmark_form(request, power, None)


@login_required
def benchmark_edit_view(request, pk):
    benchmark = get_object_or_404(DiscretionBenchmark.objects.select_related("power"), pk=pk)
    require_readable(perms.can_view_benchmark(request.user, benchmark))
    require(perms.can_edit_benchmark(request.user, benchmark.power))
    return _benchmark_form(request, benchmark.power, benchmark)


def _benchmark_form(request, power, benchmark):
    form = f.BenchmarkForm(request.POST or None, instance=benchmark)
    formset = f.DiscretionRowFormSet(request.POST or None, prefix="row",
                                     initial=f.row_initial(benchmark) if benchmark else None)
    rule_errors = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if benchmark is None:
                benchmark = svc.benchmark_create(user=request.user, power=power, data=data, rows=f.row_data(formset))
            else:
                svc.benchmark_update(user=request.user, benchmark=benchmark, data=data, rows=f.row_data(formset))
        except ValidationError as exc:
            rule_errors = exc.messages
        else:
            messages.success(request, _("已保存自由裁量基准。"))
            return redirect("riskpoints:benchmark_detail", pk=benchmark.pk)
    return render(request, "riskpoints/benchmark_form.html", {
        "form": form, "formset": formset, "power": power, "benchmark": benchmark, "rule_errors": rule_errors})


