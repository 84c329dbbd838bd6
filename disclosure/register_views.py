"""Staff pages of the register: non-disclosure entries, adjustment notes and the
office's retraction of a power published in error. Thin: a form, one service or
selector, render or redirect; the flow's buttons come from the engine's table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from powerlist.models import Department, Power
from powerlist.org.permissions import can_view_item, require
from powerlist.pages import apply_errors, require_readable
from powerlist.review.history import flow_record
from powerlist.review.permissions import available_actions

from disclosure import register_selectors as sel
from disclosure import register_services as svc
from disclosure.permissions import can_edit_filed, can_file_in_own_department, can_retract
from disclosure.register import AdjustmentNote, NonDisclosure, RegisterState, Retraction
from disclosure.register_forms import (
    AdjustmentItemFormSet, AdjustmentNoteForm, NonDisclosureForm, RetractForm, department_choices,
)

PAGE_SIZE = 50


def _readable(model, user, pk, *related, queryset=None):
    queryset = model.objects if queryset is None else queryset
    obj = get_object_or_404(queryset.select_related("region", "department", *related), pk=pk)
    require_readable(can_view_item(user, obj))
    return obj


def _detail(request, template, obj, **context):
    return render(request, template, {
        "obj": obj, "actions": available_actions(request.user, obj), "label": obj._meta.label_lower,
        "log": flow_record(obj), "can_edit": bool(can_edit_filed(request.user, obj)), **context,
    })


def _state_filter(request):
    state = request.GET.get("state", "")
    return state if state in RegisterState.values else ""


# ---------------------------------------------------------------- non-disclosure


@login_required
def non_disclosure_list_view(request):
    state = _state_filter(request)
    today = timezone.localdate()
    due = request.GET.get("due") == "1"
    page = Paginator(sel.non_disclosure_list(user=request.user, state=state, today=today, due_only=due),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "disclosure/non_disclosure_list.html", {
        "page": page, "state": state, "states": RegisterState.choices, "due": due,
        "querystring": urlencode({k: v for k, v in (("state", state), ("due", "1" if due else "")) if v}),
        "can_create": bool(can_file_in_own_department(request.user)),
    })


@login_required
def non_disclosure_create_view(request):
    # Only a clerk files: everyone else is told so before filling in a form they cannot send.
    require(can_file_in_own_department(request.user))
    form = NonDisclosureForm(request.POST or None, user=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            record = svc.non_disclosure_create(user=request.user, power=form.cleaned_data["power"],
                                               data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存为草稿,核对后提交领导小组办公室审核备案。"))
            return redirect(record)
    return render(request, "disclosure/non_disclosure_form.html", {"form": form, "record": None})


@login_required
def non_disclosure_detail_view(request, pk):
    record = _readable(NonDisclosure, request.user, pk, "power", "created_by",
                       queryset=sel.non_disclosures_with_due(timezone.localdate()))
    return _detail(request, "disclosure/non_disclosure_detail.html", record)


@login_required
def non_disclosure_edit_view(request, pk):
    record = _readable(NonDisclosure, request.user, pk, "power")
    require(can_edit_filed(request.user, record))
    form = NonDisclosureForm(request.POST or None, instance=record, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        try:
            svc.non_disclosure_update(user=request.user, record=record, data=form.cleaned_data,
                                      expected_version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(record)
    return render(request, "disclosure/non_disclosure_form.html", {"form": form, "record": record})


# ---------------------------------------------------------------- adjustment notes


@login_required
def adjustment_list_view(request):
    state = _state_filter(request)
    page = Paginator(sel.adjustment_note_list(user=request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "disclosure/adjustment_list.html", {
        "page": page, "state": state, "states": RegisterState.choices,
        "can_create": bool(can_file_in_own_department(request.user)),
    })


def _note_items(formset):
    rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    departments = Department.objects.select_related("region").in_bulk(
        [r["new_department"] for r in rows if r.get("new_department")])
    return [{**r, "new_department": departments.get(r.get("new_department"))} for r in rows]


def _note_form_page(request, *, note):
    departments = department_choices()
    initial = None
    if note is not None:
        initial = [{"change": i.change, "code": i.code, "name": i.name, "detail": i.detail,
                    "new_department": i.new_department_id, "new_code": i.new_code}
                   for i in sel.adjustment_note_items(note)]
    form = AdjustmentNoteForm(request.POST or None, instance=note,
                              initial={"version": note.version} if note else None)
    formset = AdjustmentItemFormSet(request.POST or None, initial=initial, prefix="items",
                                    form_kwargs={"departments": departments})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if note is None:
                department = get_object_or_404(Department, pk=request.user.department_id)
                note = svc.adjustment_note_create(user=request.user, department=department, data=form.cleaned_data,
                                                  items=_note_items(formset))
            else:
                svc.adjustment_note_update(user=request.user, note=note, data=form.cleaned_data,
                                           items=_note_items(formset), expected_version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存为草稿,核对后提交领导小组办公室审核备案。"))
            return redirect(note)
    return render(request, "disclosure/adjustment_form.html", {"form": form, "formset": formset, "note": note})


@login_required
def adjustment_create_view(request):
    require(can_file_in_own_department(request.user))
    return _note_form_page(request, note=None)


@login_required
def adjustment_detail_view(request, pk):
    note = _readable(AdjustmentNote, request.user, pk, "created_by")
    return _detail(request, "disclosure/adjustment_detail.html", note, items=sel.adjustment_note_items(note))


@login_required
def adjustment_edit_view(request, pk):
    note = _readable(AdjustmentNote, request.user, pk)
    require(can_edit_filed(request.user, note))
    return _note_form_page(request, note=note)


# ---------------------------------------------------------------- retraction


@login_required
def retract_view(request, power_id):
    """The office retracts a power published in error (410 on its public pages)."""
    power = get_object_or_404(Power.objects.select_related("region", "department"), pk=power_id)
    require_readable(can_view_item(request.user, power))
    require(can_retract(request.user, power))
    form = RetractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retraction = svc.power_retract(user=request.user, power=power,
                                           explanation=form.cleaned_data["explanation"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已撤回该事项的公开,其公开页面将显示撤回说明。"))
            return redirect(retraction)
    return render(request, "disclosure/retract_form.html", {"form": form, "power": power})


@login_required
def retraction_detail_view(request, pk):
    retraction = _readable(Retraction, request.user, pk, "power", "created_by")
    return render(request, "disclosure/retraction_detail.html", {"obj": retraction, "log": flow_record(retraction)})


def retract_panel_context(*, user, power):
    """The power page's panel (registered in DisclosureConfig.ready) through which the
    office reaches the retraction of a power published in error: the retraction when it
    was retracted, else the link to retract it when it was ever published. Only for the
    office reviewer of the power's region (no query for anyone else)."""
    if not can_retract(user, power):
        return None
    retraction = sel.power_retraction(power.pk)
    if retraction is None and not sel.power_was_published(power.pk):
        return None
    return {"retraction": retraction}
