"""Pages of e-supervision: the board, cases (list, page with clocks and timeline, record
by hand, add an event) and alerts (list, page with the flow's actions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from powerlist.org.permissions import require
from powerlist.pages import apply_errors, querystring_without_page
from powerlist.review.history import flow_record
from powerlist.review.permissions import available_actions
from supervision import selectors as sel
from supervision.charts import Series, stacked_bars_svg
from supervision.forms_cases import CaseEventForm, CaseRecordForm
from supervision.models import AlertKind, CaseState
from supervision.permissions import (
    can_add_case_event, can_record_case, can_see_applicant, can_view_board, can_view_cases,
)
from supervision.services.alerts import RAISE_ACTION
from supervision.services.cases import flowchart_content_of
from supervision.services.intake import events_intake
from supervision.timeline import case_timeline

PAGE_SIZE = 50
KIND_COLOURS = {AlertKind.PROMPT: "#3b6fb6", AlertKind.YELLOW: "#d4a017", AlertKind.RED: "#c0392b",
                AlertKind.IRREGULAR: "#7d3c98"}


class CountedPaginator(Paginator):
    """A paginator told its count (from the board's rollup) instead of counting a
    million rows on every page; the rows themselves are read live."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


def _paginator(queryset, count):
    return Paginator(queryset, PAGE_SIZE) if count is None else CountedPaginator(queryset, PAGE_SIZE, count=count)


@login_required
def board_view(request):
    require(can_view_board(request.user))
    data = sel.board(user=request.user)
    labels = [m.strftime("%Y-%m") for m in data["months"]]
    alert_chart = stacked_bars_svg(
        title=_("各月预警数"), labels=labels,
        series=[Series(str(AlertKind(k).label), KIND_COLOURS[k], tuple(v)) for k, v in data["alert_trend"].items()],
    )
    on_time_chart = stacked_bars_svg(
        title=_("各月按时办结率"), labels=labels, percent=True,
        series=[Series(_("按时办结率"), "#2e7d32", tuple(data["on_time_trend"]))],
    )
    return render(request, "supervision/board.html", {
        **data, "labels": labels, "alert_chart": alert_chart, "on_time_chart": on_time_chart,
        "trend_rows": [(label, *[data["alert_trend"][k][i] for k in AlertKind.values], data["on_time_trend"][i])
                       for i, label in enumerate(labels)],
        "kinds": AlertKind.choices,
    })


@login_required
def case_list_view(request):
    require(can_view_cases(request.user))
    state = request.GET.get("state", "")
    if state not in CaseState.values:
        state = ""
    page = _paginator(sel.case_list(user=request.user, state=state or None),
                      sel.case_count(user=request.user, state=state or None)).get_page(request.GET.get("page"))
    return render(request, "supervision/case_list.html", {
        "page": page, "cases": page.object_list, "states": CaseState.choices, "state": state,
        "querystring": querystring_without_page(request), "can_record": bool(can_record_case(request.user)),
    })


def _case_or_404(user, pk):
    case = sel.case_get(user=user, pk=pk)
    if case is None:
        raise Http404
    return case


@login_required
def case_detail_view(request, pk):
    case = _case_or_404(request.user, pk)
    events = sel.case_events(case)
    content = flowchart_content_of(case)
    line = case_timeline(case, events, flowchart_data=content)
    may_add = can_add_case_event(request.user, case)
    form = CaseEventForm(request.POST or None) if may_add else None
    if request.method == "POST":
        require(may_add)
        if form.is_valid():
            try:
                events_intake(department=case.department, actor=request.user, events=[form.event(case.number)],
                              batch=False)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已补录事件。"))
                return redirect(case.get_absolute_url())
    show_applicant = bool(can_see_applicant(request.user, case))
    return render(request, "supervision/case_detail.html", {
        "case": case, "events": events, "line": line, "form": form,
        "applicant": case.applicant if show_applicant else case.applicant_masked, "applicant_masked": not show_applicant,
        "alerts": case.alerts.order_by("-raised_at"),
        "chart_svg": (case.flowchart_revision.data or {}).get("svg", "") if case.flowchart_revision_id else "",
    })


@login_required
def case_create_view(request):
    """Recording by hand is a received event entered by the clerk, through the same
    intake service (and contract) as the systems' pushes."""
    require(can_record_case(request.user))
    department = request.user.department
    form = CaseRecordForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = {
            "event_id": "manual", "kind": "received", "case": data["number"], "power": data["power"].code,
            "occurred_at": data["received_at"].isoformat(), "online": data["online"],
            "applicant": {"name": data["applicant_name"], "id_number": data["applicant_id_number"],
                          "phone": data["applicant_phone"]},
        }
        try:
            stored = events_intake(department=department, actor=request.user, events=[event], batch=False)
        except ValidationError as exc:
            apply_errors(form, ValidationError({FORM_FIELD_OF.get(k, k): v for k, v in exc.message_dict.items()}))
        else:
            case = stored[0].case
            messages.success(request, _("已登记办件 %(n)s,请补录受理和各环节事件。") % {"n": case.number})
            return redirect(case.get_absolute_url())
    return render(request, "supervision/case_form.html", {"form": form})


# Intake field names → the record form's fields.
FORM_FIELD_OF = {"case": "number", "occurred_at": "received_at", "applicant.name": "applicant_name",
                 "applicant.id_number": "applicant_id_number", "applicant.phone": "applicant_phone"}


@login_required
def alert_list_view(request):
    require(can_view_cases(request.user))
    open_only = request.GET.get("all") != "1"
    count = sel.open_alert_count(user=request.user) if open_only else None
    page = _paginator(sel.alert_list(user=request.user, open_only=open_only), count).get_page(request.GET.get("page"))
    return render(request, "supervision/alert_list.html", {
        "page": page, "alerts": page.object_list, "open_only": open_only,
        "querystring": querystring_without_page(request),
    })


@login_required
def alert_detail_view(request, pk):
    alert = sel.alert_get(user=request.user, pk=pk)
    if alert is None:
        raise Http404
    return render(request, "supervision/alert_detail.html", {
        "alert": alert, "actions": available_actions(request.user, alert),
        "label": f"{alert._meta.app_label}.{alert._meta.model_name}",
        "log": flow_record(alert, labels={RAISE_ACTION: _("系统预警")}),
    })
