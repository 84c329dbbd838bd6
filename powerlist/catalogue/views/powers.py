"""Clerk and reviewer pages for powers: list, catalogue, create, edit, detail, adopt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from powerlist.catalogue.forms import LegalBasisFormSet, PowerFilterForm, PowerForm
from powerlist.catalogue.models import Power
from powerlist.catalogue.selectors import catalogue_groups, power_list, power_queryset
from powerlist.catalogue.services import power_adopt, power_create, power_diff, power_snapshot, power_update
from powerlist.org.models import Department
from powerlist.org.permissions import can_create_in, can_edit_item, can_view_item
from powerlist.org.roles import REGION_ROLES
from powerlist.pages import apply_errors, querystring_without_page
from powerlist.review.permissions import available_actions
from powerlist.review.record import operation_record_for, previous_submission
from powerlist.workspace.panels import power_panels

PAGE_SIZE = 50


def _visible_power(user, pk):
    power = get_object_or_404(power_queryset(), pk=pk)
    decision = can_view_item(user, power)
    if not decision:
        raise PermissionDenied(decision.reason)
    return power


@login_required
def power_list_view(request):
    form = PowerFilterForm(request.GET or None)
    if not any(request.user.has_role(r) for r in REGION_ROLES):
        del form.fields["include_lower"]
    filters = form.filters() if request.GET else {"own_region": True}
    qs = power_list(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    department = request.user.department
    return render(
        request,
        "powerlist/power_list.html",
        {
            "form": form,
            "page": page,
            "can_create": bool(department and can_create_in(request.user, department)),
            "querystring": querystring_without_page(request),
        },
    )


@login_required
def catalogue_view(request):
    """The catalogue (行政职权目录) of the user's department, grouped by category."""
    department_id, division_id = request.GET.get("department", ""), request.GET.get("division", "")
    # Ids only: a mangled link shows the user's own catalogue rather than an error page.
    filters = {"department": int(department_id) if department_id.isdigit() else request.user.department_id}
    if division_id.isdigit():
        filters["division"] = int(division_id)
    powers = power_list(user=request.user, filters=filters).prefetch_related("legal_bases")
    department = Department.objects.select_related("region").filter(pk=filters["department"]).first()
    return render(
        request,
        "powerlist/catalogue.html",
        {"department": department, "groups": catalogue_groups(powers=powers)},
    )


def _legal_bases(formset):
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("law_name")
    ]


@login_required
def power_create_view(request):
    department = request.user.department
    decision = can_create_in(request.user, department) if department else None
    if not decision:
        raise PermissionDenied(decision.reason if decision is not None else _("您的账号未分配部门。"))
    form = PowerForm(request.POST or None, department=department, user=request.user)
    formset = LegalBasisFormSet(request.POST or None, prefix="basis")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            power = power_create(
                user=request.user, department=department, data=form.content(), legal_bases=_legal_bases(formset)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存为草稿:%(power)s") % {"power": power})
            return redirect("powerlist:power_detail", pk=power.pk)
    return render(request, "powerlist/power_form.html", {"form": form, "formset": formset, "power": None})


@login_required
def power_edit_view(request, pk):
    power = _visible_power(request.user, pk)
    decision = can_edit_item(request.user, power)
    if not decision:
        raise PermissionDenied(decision.reason)
    initial_bases = [
        {"law_name": b.law_name, "article": b.article, "text": b.text} for b in power.legal_bases.all()
    ]
    form = PowerForm(
        request.POST or None, instance=power, department=power.department, user=request.user,
        initial={"version": power.version},
    )
    formset = LegalBasisFormSet(request.POST or None, prefix="basis", initial=initial_bases)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            power = power_update(
                user=request.user,
                power=power,
                data=form.content(),
                legal_bases=_legal_bases(formset),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存:%(power)s") % {"power": power})
            return redirect("powerlist:power_detail", pk=power.pk)
    return render(request, "powerlist/power_form.html", {"form": form, "formset": formset, "power": power})


@login_required
def power_detail_view(request, pk):
    power = _visible_power(request.user, pk)
    current = power_snapshot(power)
    diff_in_force = None
    if power.in_force_id and power.in_force.number != power.revision:
        diff_in_force = power_diff(old=power.in_force.data, new=current)
    previous = previous_submission(power)
    diff_previous = power_diff(old=previous.snapshot, new=current) if previous else None
    diff_source = None
    if power.source_id:
        diff_source = power_diff(old=power_snapshot(power.source), new=current)
    return render(
        request,
        "powerlist/power_detail.html",
        {
            "power": power,
            "legal_bases": power.legal_bases.all(),
            "log": operation_record_for(power),
            "revisions": power.revisions.all(),
            "can_edit": bool(can_edit_item(request.user, power)),
            "actions": available_actions(request.user, power),
            "diff_in_force": diff_in_force,
            "diff_source": diff_source,
            "diff_previous": diff_previous,
            "previous": previous,
            "time_limit_warning": power.time_limit_warning(),
            "panels": power_panels(user=request.user, power=power),
            "label": f"{power._meta.app_label}.{power._meta.model_name}",
        },
    )


@login_required
def power_adopt_view(request):
    """Reference catalogue: confirmed items of the level above, to adopt instead of retyping."""
    department = request.user.department
    decision = can_create_in(request.user, department) if department else None
    if not decision:
        raise PermissionDenied(decision.reason if decision is not None else _("您的账号未分配部门。"))
    parent_id = department.region.parent_id
    if request.method == "POST":
        source = get_object_or_404(Power, pk=request.POST.get("source"), region_id=parent_id)
        try:
            power = power_adopt(user=request.user, department=department, source=source,
                                code=request.POST.get("code") or None)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("已参照上级事项创建草稿,请补充本级信息。"))
            return redirect("powerlist:power_edit", pk=power.pk)
    q = request.GET.get("q", "").strip()
    sources = power_queryset().filter(region_id=parent_id, state="confirmed") if parent_id else Power.objects.none()
    if q:
        sources = sources.filter(name__icontains=q)
    adopted = set(Power.objects.filter(department=department, source__isnull=False).values_list("source_id", flat=True))
    page = Paginator(sources.order_by("category__order", "code"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "powerlist/power_adopt.html", {"page": page, "adopted": adopted, "q": q})
