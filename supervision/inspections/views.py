"""Pages of inspections, findings, rectifications, accountability and the fired risk
points. Thin: a form, one service or selector, render or redirect."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from powerlist.org.permissions import require
from powerlist.pages import apply_errors, querystring_without_page
from powerlist.review.history import flow_record
from powerlist.review.permissions import available_actions
from supervision.inspections import selectors as sel
from supervision.inspections import services
from supervision.inspections.forms import AccountabilityForm, FindingForm, InspectionPlanForm, RectificationForm
from supervision.inspections.permissions import can_plan_inspection, can_record_finding, can_view_coverage

PAGE_SIZE = 50


def _found(obj):
    if obj is None:
        raise Http404
    return obj


@login_required
def inspection_list_view(request):
    page = Paginator(sel.plan_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/inspection_list.html", {
        "page": page, "plans": page.object_list, "can_plan": bool(can_plan_inspection(request.user)),
        "querystring": querystring_without_page(request),
    })


@login_required
def inspection_create_view(request):
    require(can_plan_inspection(request.user))
    form = InspectionPlanForm(request.POST or None, region=request.user.department.region)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.inspection_plan_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(plan)
    return render(request, "supervision/inspection_form.html", {"form": form})


@login_required
def inspection_detail_view(request, pk):
    plan = _found(sel.plan_get(user=request.user, pk=pk))
    can_record = bool(can_record_finding(request.user, plan))
    form = FindingForm(request.POST or None, department=plan.department)
    if request.method == "POST":
        require(can_record_finding(request.user, plan))
        if form.is_valid():
            try:
                services.finding_record(user=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect(plan)
    return render(request, "supervision/inspection_detail.html", {
        "plan": plan, "findings": sel.plan_findings(plan), "form": form if can_record else None,
    })


@login_required
def rectification_create_view(request, pk):
    finding = _found(sel.finding_get(user=request.user, pk=pk))
    require(can_record_finding(request.user, finding.plan))
    form = RectificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_create(user=request.user, finding=finding, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(finding.plan)
    return render(request, "supervision/finding_action_form.html", {
        "finding": finding, "form": form, "heading": "rectification"})


@login_required
def accountability_create_view(request, pk):
    finding = _found(sel.finding_get(user=request.user, pk=pk))
    require(can_record_finding(request.user, finding.plan))
    form = AccountabilityForm(request.POST or None, finding=finding)
    if request.method == "POST" and form.is_valid():
        try:
            services.accountability_record_create(user=request.user, finding=finding, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(finding.plan)
    return render(request, "supervision/finding_action_form.html", {
        "finding": finding, "form": form, "heading": "accountability"})


@login_required
def rectification_list_view(request):
    open_only = request.GET.get("all") != "1"
    page = Paginator(sel.rectification_list(user=request.user, open_only=open_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "supervision/rectification_list.html", {
        "page": page, "rectifications": page.object_list, "open_only": open_only,
        "querystring": querystring_without_page(request),
    })


@login_required
def rectification_detail_view(request, pk):
    rect = _found(sel.rectification_get(user=request.user, pk=pk))
    log = flow_record(rect)
    return render(request, "supervision/rectification_detail.html", {
        "rect": rect, "actions": available_actions(request.user, rect),
        "label": f"{rect._meta.app_label}.{rect._meta.model_name}", "log": log,
    })


@login_required
def accountability_list_view(request):
    page = Paginator(sel.accountability_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/accountability_list.html", {
        "page": page, "records": page.object_list, "querystring": querystring_without_page(request)})


@login_required
def coverage_view(request):
    require(can_view_coverage(request.user))
    fired_only = request.GET.get("all") != "1"
    page = Paginator(sel.fired_riskpoints(user=request.user, fired_only=fired_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "supervision/riskpoint_coverage.html", {
        "page": page, "points": page.object_list, "fired_only": fired_only,
        "totals": sel.coverage_totals(user=request.user), "querystring": querystring_without_page(request),
    })
