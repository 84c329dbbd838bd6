"""The public portal (no login) and the department reviewer's publish page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.feedgenerator import Atom1Feed

from powerlist.models import Department
from powerlist.pages import apply_errors, querystring_without_page

from disclosure.forms import CompareForm, PublishForm, SearchForm
from disclosure.pages import public_page
from disclosure.pdf.selectors import directory_file, power_file
from disclosure.permissions import can_publish
from disclosure.search import highlight_spans, snippet
from disclosure import register_selectors, selectors
from disclosure.services import publication_create, publication_preview


def _render(request, template, context):
    context.setdefault("display_mode", getattr(request, "display_mode", "standard"))
    return render(request, template, context)


@public_page
def home(request):
    return _render(request, "disclosure/home.html", {
        "regions": selectors.public_regions(), "form": SearchForm(),
    })


@public_page
def region(request, region_code):
    region = selectors.region_by_code(region_code)
    return _render(request, "disclosure/region.html", {
        "region": region, "publications": selectors.region_departments(region),
        "children": region.children.order_by("code"),
    })


@public_page
def department(request, region_code, department_id):
    region = selectors.region_by_code(region_code)
    department = selectors.department_of(region, department_id)
    return _render(request, "disclosure/department.html", {
        "region": region, "department": department, "categories": selectors.department_categories(department),
        "publications": selectors.change_log(department, limit=5), "pdf": directory_file(department),
        "non_disclosure": register_selectors.department_non_disclosure_counts(department),
    })


@public_page
def category(request, region_code, department_id, category_id):
    region = selectors.region_by_code(region_code)
    department = selectors.department_of(region, department_id)
    category = selectors.category_of(category_id)
    return _render(request, "disclosure/category.html", {
        "region": region, "department": department, "category": category,
        "page_obj": selectors.category_powers(department, category, request.GET.get("page")),
    })


def _gone(request, row):
    """410 for a power the office retracted as published in error, else None."""
    retraction = register_selectors.power_retraction(row.power_id)
    if retraction is None:
        return None
    return render(request, "disclosure/power_gone.html", {
        "row": row, "retraction": retraction, "region_code": row.region.code,
        "display_mode": getattr(request, "display_mode", "standard"),
    }, status=410)


def _power_context(row, *, is_alias):
    history = selectors.power_history(row)
    selectors.mask_withheld_sub_items(row)
    return {
        "row": row, "data": row.data, "is_alias": is_alias, "history": history,
        "region_code": row.region.code, "newest_version": history[0]["version"] if history else row.version,
        "pdf": power_file(row),
        "moved": register_selectors.power_moved_to(row.power_id),
    }


@public_page
def power(request, region_code, code):
    row = selectors.power_current(region_code, code)
    return _gone(request, row) or _render(request, "disclosure/power_detail.html", _power_context(row, is_alias=True))


@public_page
def power_version(request, region_code, code, version):
    row = selectors.power_version(region_code, code, version)
    return _gone(request, row) or _render(request, "disclosure/power_detail.html", _power_context(row, is_alias=False))


@public_page
def power_compare(request, region_code, code):
    form = CompareForm(request.GET)
    if not form.is_valid():
        raise Http404(_("版本号无效。"))
    comparison = selectors.power_comparison(region_code, code, form.cleaned_data["a"], form.cleaned_data["b"])
    gone = _gone(request, comparison["current"])
    if gone is not None:
        return gone
    return _render(request, "disclosure/power_compare.html", {
        "row": comparison["current"], "old": comparison["old"], "new": comparison["new"], "rows": comparison["rows"],
        "versions": comparison["versions"], "changed_count": comparison["changed_count"], "region_code": region_code,
    })


@public_page
def changes(request, region_code, department_id):
    region = selectors.region_by_code(region_code)
    department = selectors.department_of(region, department_id)
    return _render(request, "disclosure/change_log.html", {
        "region": region, "department": department, "publications": selectors.change_log(department),
        "notes": register_selectors.recorded_notes(department=department),
    })


@public_page
def region_changes(request, region_code):
    region = selectors.region_by_code(region_code)
    return _render(request, "disclosure/region_change_log.html", {
        "region": region, "entries": selectors.region_change_entries(region),
    })


@public_page
def search(request):
    form = SearchForm(request.GET or None)
    result, q, ignored = None, "", []
    # A mangled filter is left out and named on the page; the search itself still runs.
    if form.is_bound and not form.is_valid() and "q" not in form.errors:
        ignored = [str(form.fields[name].label) for name in form.errors if name in SearchForm.FILTERS]
    if form.is_bound and "q" not in form.errors:
        q = form.cleaned_data["q"]
        filters = {k: form.cleaned_data.get(k) for k in SearchForm.FILTERS}
        result = selectors.search(q, filters, request.GET.get("page"))
        if result["page"] is not None:
            for row in result["page"]:
                row.name_spans = highlight_spans(row.name, q)
                row.snippet_spans = highlight_spans(snippet(row.search_text, q), q)
    return _render(request, "disclosure/search.html", {
        "form": form, "q": q, "result": result, "ignored": ignored, "querystring": querystring_without_page(request),
        "facet_base": _facet_base(request),
    })


def _facet_base(request):
    params = request.GET.copy()
    for key in ("page", "region", "department", "category", "level"):
        params.pop(key, None)
    return params.urlencode()


class _ChangesFeed(Feed):
    """A change log as an Atom feed: one entry per publication and per recorded
    adjustment note (selectors.change_entries), in plain words."""

    feed_type = Atom1Feed

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["text"]

    def item_link(self, item):
        return item["link"]

    def item_guid(self, item):
        return item["guid"]

    def item_pubdate(self, item):
        return item["when"]


class DepartmentChangesFeed(_ChangesFeed):

    def get_object(self, request, region_code, department_id):
        region = selectors.region_by_code(region_code)
        return selectors.department_of(region, department_id)

    def title(self, obj):
        return _("%(department)s公开目录变更") % {"department": obj.name}

    def link(self, obj):
        return reverse("disclosure:changes", args=[obj.region.code, obj.pk])

    def subtitle(self, obj):
        return _("%(region)s%(department)s每次公开的变更说明和职能调整说明。") % {
            "region": obj.region.name, "department": obj.name}

    def items(self, obj):
        return selectors.change_entries(selectors.change_log(obj), register_selectors.recorded_notes(department=obj))


class RegionChangesFeed(_ChangesFeed):

    def get_object(self, request, region_code):
        return selectors.region_by_code(region_code)

    def title(self, obj):
        return _("%(region)s公开目录变更") % {"region": obj.name}

    def link(self, obj):
        return reverse("disclosure:region_changes", args=[obj.code])

    def subtitle(self, obj):
        return _("%(region)s各部门每次公开的变更说明和职能调整说明。") % {"region": obj.name}

    def items(self, obj):
        return selectors.region_change_entries(obj)


department_feed = public_page(DepartmentChangesFeed())
region_feed = public_page(RegionChangesFeed())


@login_required
def publish(request, department_id):
    """The department reviewer's page: what will change, the note, then publish."""
    department = get_object_or_404(Department, pk=department_id)
    decision = can_publish(request.user, department)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publication = publication_create(user=request.user, department=department, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已发布第%(n)s批公开。") % {"n": publication.number})
            return redirect("disclosure:changes", department.region.code, department.pk)
    preview = publication_preview(department=department)
    return render(request, "disclosure/publish.html", {
        "department": department, "form": form, "preview": preview,
    })
