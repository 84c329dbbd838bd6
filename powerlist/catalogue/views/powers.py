"""Clerk and reviewer pages for powers: list, catalogue, create, edit, detail, adopt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from powerlist.catalogue.family import power_family_apply
from powerlist.catalogue.forms import (
    AccountabilityCircumstanceFormSet,
    FamilyActionForm,
    LegalBasisFormSet,
    PowerFilterForm,
    PowerForm,
    ResponsibilityItemFormSet,
    formset_rows,
)
from powerlist.catalogue.models import INHERITED_FIELDS, Power
from powerlist.catalogue.family import family_members
from powerlist.catalogue.selectors import (
    power_adoption_sources,
    power_list,
    power_lists,
    power_queryset,
    power_steps,
    power_sub_items,
)
from powerlist.catalogue.services import (
    power_adopt,
    power_create,
    power_diff,
    power_effective_snapshot,
    power_snapshot,
    power_update,
)
from powerlist.inputs import warn_invalid
from powerlist.org.permissions import can_create_in, can_edit_item, can_view_item
from powerlist.org.roles import REGION_ROLES
from powerlist.search import capped_count
from powerlist.pages import apply_errors, querystring_without_page, require_readable
from powerlist.review.permissions import available_actions
from powerlist.review.record import operation_record_for, previous_submission
from powerlist.workspace.panels import power_panels

PAGE_SIZE = 50
# A search counts its hits up to this many ("超过 1000 项"): an exact COUNT over tens of
# thousands of hits cost more than the page itself at 500,000 powers.
SEARCH_COUNT_CAP = 1000


def _visible_power(user, pk):
    power = get_object_or_404(power_queryset(), pk=pk)
    require_readable(can_view_item(user, power))
    return power


@login_required
def power_list_view(request):
    form = PowerFilterForm(request.GET or None)
    if not any(request.user.has_role(r) for r in REGION_ROLES):
        del form.fields["include_lower"]
    filters = form.filters() if request.GET else {"own_region": True}
    warn_invalid(request, form)
    qs = power_list(user=request.user, filters=filters)
    paginator, capped = Paginator(qs, PAGE_SIZE), False
    if filters.get("q"):
        paginator.count, capped = capped_count(qs, SEARCH_COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    department = request.user.department
    return render(
        request,
        "powerlist/power_list.html",
        {
            "form": form,
            "page": page,
            "capped": capped,
            "can_create": bool(department and can_create_in(request.user, department)),
            "querystring": querystring_without_page(request),
        },
    )


def _legal_bases(formset):
    return formset_rows(formset, keep=lambda row: row.get("law_name"))


def _responsibility_formset(request, power):
    steps = power_steps(power) if power is not None else []
    initial = None
    if power is not None:
        initial = [{"stage": i.stage, "text": i.text, "basis": i.basis, "steps": [str(s.pk) for s in i.steps.all()]}
                   for i in power.responsibility_items.all()]
    return ResponsibilityItemFormSet(request.POST or None, prefix="duty", initial=initial,
                                     form_kwargs={"steps": steps})


def _circumstance_formset(request, power):
    initial = None
    if power is not None:
        initial = [{"text": c.text, "ground": c.ground} for c in power.accountability_circumstances.all()]
    return AccountabilityCircumstanceFormSet(request.POST or None, prefix="case", initial=initial)


def _editable_main(user, pk):
    """The main item a new sub-item goes under: readable, and a main item."""
    main = _visible_power(user, pk)
    if main.parent_id:
        raise PermissionDenied(_("子项下不能再新增子项。"))
    return main


@login_required
def power_create_view(request, parent_pk=None):
    department = request.user.department
    decision = can_create_in(request.user, department) if department else None
    if not decision:
        raise PermissionDenied(decision.reason if decision is not None else _("您的账号未分配部门。"))
    main = _editable_main(request.user, parent_pk) if parent_pk else None
    if main is not None and main.department_id != department.pk:
        raise PermissionDenied(_("只能为本部门的事项新增子项。"))
    initial = {"code": f"{main.code}-", "division": main.division_id} if main else None
    form = PowerForm(request.POST or None, department=department, user=request.user, initial=initial)
    if main is not None:
        form.mark_inherited(main)
    formset = LegalBasisFormSet(request.POST or None, prefix="basis")
    cases = _circumstance_formset(request, None)
    if request.method == "POST" and form.is_valid() and formset.is_valid() and cases.is_valid():
        try:
            power = power_create(
                user=request.user, department=department, data=form.content(), legal_bases=_legal_bases(formset),
                parent=main, circumstances=formset_rows(cases, keep=lambda row: row.get("text")),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存为草稿:%(power)s") % {"power": power})
            return redirect("powerlist:power_detail", pk=power.pk)
    return render(request, "powerlist/power_form.html", {
        "form": form, "formset": formset, "duties": None, "cases": cases, "power": None, "main": main,
    })


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
    if power.parent_id:
        form.mark_inherited(power.parent)
    formset = LegalBasisFormSet(request.POST or None, prefix="basis", initial=initial_bases)
    duties, cases = _responsibility_formset(request, power), _circumstance_formset(request, power)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid(), duties.is_valid(), cases.is_valid()]):
        try:
            power = power_update(
                user=request.user,
                power=power,
                data=form.content(),
                legal_bases=_legal_bases(formset),
                responsibility_items=formset_rows(duties, keep=lambda row: True),
                circumstances=formset_rows(cases, keep=lambda row: row.get("text")),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存:%(power)s") % {"power": power})
            return redirect("powerlist:power_detail", pk=power.pk)
    return render(request, "powerlist/power_form.html", {
        "form": form, "formset": formset, "duties": duties, "cases": cases, "power": power, "main": power.parent,
    })


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
    actions = available_actions(request.user, power)
    return render(
        request,
        "powerlist/power_detail.html",
        {
            "power": power,
            "legal_bases": power.legal_bases.all(),
            "log": operation_record_for(power),
            "revisions": power.revisions.all(),
            "can_edit": bool(can_edit_item(request.user, power)),
            "actions": actions,
            "diff_in_force": diff_in_force,
            "diff_source": diff_source,
            "diff_previous": diff_previous,
            "previous": previous,
            "time_limit_warning": power.pending_time_limit_warning(),
            "panels": power_panels(user=request.user, power=power),
            "label": f"{power._meta.app_label}.{power._meta.model_name}",
            **_structure_context(request.user, power, actions),
        },
    )


def _inherited_rows(power):
    """[(label, value)] of what a sub-item takes from its main item (blank here)."""
    effective = power_effective_snapshot(power)
    rows = []
    for name in effective["inherited"]:
        value = effective[name]
        if name == "legal_bases":
            rows.append((_("行使依据"), "\n".join(f"{b['law_name']}{b['article']}" for b in value)))
        elif name in INHERITED_FIELDS:
            rows.append((Power._meta.get_field(name).verbose_name, value))
    return rows


def _structure_context(user, power, actions):
    """The power page's sections of this module: responsibility items (own or the main
    item's) with their steps and posts, circumstances, sub-items and the actions that
    take them along, and for a sub-item what it inherits."""
    lists = power_lists(power)
    travelling = family_members(power).count() if actions and not power.parent_id else 0
    return {
        "responsibility_items": lists["responsibility_items"],
        "circumstances": lists["circumstances"],
        "lists_inherited": lists["inherited"],
        "inherited_rows": _inherited_rows(power) if power.parent_id else [],
        "sub_items": power_sub_items(power) if not power.parent_id else [],
        "family_actions": actions if travelling else [],
        "family_size": travelling,
        "can_add_sub_item": not power.parent_id and bool(can_create_in(user, power.department))
        and user.department_id == power.department_id,
    }


@login_required
def power_family_action_view(request, pk, action):
    """POST: take a review action on a main item together with its sub-items."""
    if request.method != "POST":
        raise Http404
    power = _visible_power(request.user, pk)
    form = FamilyActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效,请刷新页面后重试。"))
        return redirect("powerlist:power_detail", pk=power.pk)
    try:
        main, subs = power_family_apply(user=request.user, power=power, action=action,
                                        comment=form.cleaned_data["comment"],
                                        expected_version=form.cleaned_data["version"])
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("已对主项及 %(n)s 个子项执行“%(action)s”。") % {
            "n": len(subs), "action": main.flow.label_of_action(action)})
    return redirect("powerlist:power_detail", pk=power.pk)


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
    sources = power_adoption_sources(department=department, q=q)
    adopted = set(Power.objects.filter(department=department, source__isnull=False).values_list("source_id", flat=True))
    page = Paginator(sources, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "powerlist/power_adopt.html", {"page": page, "adopted": adopted, "q": q})
