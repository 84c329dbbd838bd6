"""The power catalogue (行政职权目录) of a department: the confirmed directory in force, and
the working copies beside it. One category per page, paged, at a fixed query count."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from powerlist.catalogue.effective import effective_data
from powerlist.catalogue.forms import CatalogueFilterForm
from powerlist.catalogue.responsibility import ResponsibilityStage
from powerlist.catalogue.selectors import catalogue_categories, catalogue_items
from powerlist.catalogue.services import power_snapshot
from powerlist.org.models import Department
from powerlist.review.models import ReviewState

CATALOGUE_PAGE_SIZE = 30
UNDER_REVIEW = (ReviewState.DEPARTMENT_REVIEW, ReviewState.OFFICE_REVIEW, ReviewState.FINAL_REVIEW)
STAGE_LABELS = dict(ResponsibilityStage.choices)


def _revision_mark(power):
    """How a row in force says that a newer revision is on its way, or ""."""
    if power.state in UNDER_REVIEW:
        return "under_review"
    if power.state == ReviewState.DRAFT and power.in_force_id and power.revision > power.in_force.number:
        return "revising"
    return ""


def _labelled(data):
    for item in data.get("responsibility_items", ()):
        item["stage_label"] = STAGE_LABELS.get(item["stage"], item["stage"])
    return data


def _in_force_row(power, main_data=None):
    data = _labelled(effective_data(power.in_force.data, main_data))
    return {"power": power, "data": data, "mark": _revision_mark(power),
            "confirmed_at": power.in_force.confirmed_at, "number": power.in_force.number}


def _working_row(power, main_data=None):
    return {"power": power, "data": _labelled(effective_data(power_snapshot(power), main_data)), "mark": "",
            "state": power.get_state_display()}


def _rows(page, in_force):
    rows = []
    for main in page.object_list:
        if in_force:
            row = _in_force_row(main)
            row["subs"] = [_in_force_row(sub, main.in_force.data) for sub in main.catalogue_subs]
        else:
            own = power_snapshot(main)
            row = _working_row(main)
            row["subs"] = [_working_row(sub, own) for sub in main.catalogue_subs]
        rows.append(row)
    return rows


def _catalogue(request, *, in_force):
    form = CatalogueFilterForm(request.GET or None)
    # A mangled filter shows the user's own catalogue rather than an error page.
    filters = form.cleaned_data if form.is_valid() else {}
    department_id = filters.get("department") or request.user.department_id
    categories = catalogue_categories(user=request.user, department_id=department_id, in_force=in_force)
    wanted = filters.get("category")
    current = next((c for c, _n in categories if c.pk == wanted), categories[0][0] if categories else None)
    page, rows = None, []
    if current is not None:
        items = catalogue_items(user=request.user, department_id=department_id, category_id=current.pk,
                                in_force=in_force, division_id=filters.get("division"))
        page = Paginator(items, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = _rows(page, in_force)
    department = Department.objects.select_related("region").filter(pk=department_id).first()
    base = {k: v for k, v in (("department", filters.get("department")), ("division", filters.get("division"))) if v}
    return render(request, "powerlist/catalogue.html", {
        "department": department, "categories": categories, "current": current, "page": page, "rows": rows,
        "in_force": in_force, "base_query": "&".join(f"{k}={v}" for k, v in base.items()),
        "querystring": "&".join(f"{k}={v}" for k, v in {**base, "category": getattr(current, "pk", "")}.items()),
    })


@login_required
def catalogue_view(request):
    """The confirmed directory: each item's version in force with every catalogue field,
    items with a revision under review marked."""
    return _catalogue(request, in_force=True)


@login_required
def catalogue_working_view(request):
    """The working copies (drafts and items in review) in the catalogue's layout."""
    return _catalogue(request, in_force=False)
