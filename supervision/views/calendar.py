"""Pages of the working-day calendar: the years, and one year's entry form with its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from powerlist.pages import apply_errors
from supervision import selectors as sel
from supervision import services as svc
from supervision.calendar import DayEntry
from supervision.calendar_entry import format_calendar_lines
from supervision.forms_calendar import CalendarYearCreateForm, CalendarYearForm
from supervision.models import CalendarYear
from supervision.permissions import can_manage_calendar

CHANGES_PAGE_SIZE = 30


def _require_manager(user):
    decision = can_manage_calendar(user)
    if not decision:
        raise PermissionDenied(decision.reason)


@login_required
def calendar_list_view(request):
    _require_manager(request.user)
    form = CalendarYearCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            calendar_year = svc.calendar_year_create(user=request.user, year=form.cleaned_data["year"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新建 %(year)s 年度,请录入放假安排。") % {"year": calendar_year.year})
            return redirect("supervision:calendar_year", year=calendar_year.year)
    context = {"years": sel.calendar_year_list(), "form": form, **sel.calendar_warning(request.user)}
    return render(request, "supervision/calendar_list.html", context)


@login_required
def calendar_year_view(request, year):
    _require_manager(request.user)
    calendar_year = get_object_or_404(CalendarYear, year=year)
    days = list(calendar_year.days.all())
    initial = {
        "notice_number": calendar_year.notice_number, "notice_date": calendar_year.notice_date,
        "is_complete": calendar_year.is_complete, "days": format_calendar_lines(DayEntry(d.date, d.kind, d.name) for d in days),
    }
    form = CalendarYearForm(request.POST or None, initial=initial, year=year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = svc.calendar_year_save(
                user=request.user, year=year, notice_number=data["notice_number"],
                notice_date=data["notice_date"], is_complete=data["is_complete"], entries=data["days"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if change is None:
                messages.info(request, _("没有修改。"))
            else:
                messages.success(request, _("已保存:%(summary)s") % {"summary": change.summary})
            return redirect("supervision:calendar_year", year=year)
    changes = Paginator(sel.calendar_change_list(calendar_year), CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/calendar_year.html", {
        "calendar_year": calendar_year, "form": form, "days": days, "changes": changes,
    })
