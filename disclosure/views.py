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

from disclosure.diff import snapshot_diff, snapshot_rows
from disclosure.forms import PublishForm, SearchForm
from disclosure.pages import public_page
from disclosure.pdf.selectors import directory_file, power_file
from disclosure.permissions import can_publish
from disclosure.search import highlight_spans, snippet
from disclosure import selectors
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


def _power_context(row, *, is_alias):
    history = selectors.power_history(row)
    return {
        "row": row, "data": row.data, "is_alias": is_alias, "history": history,
        "region_code": row.region.code, "newest_version": history[0]["version"] if history else row.version,
        "pdf": power_file(row),
    }


@public_page
def power(request, region_code, code):
    row = selectors.power_current(region_code, code)
    return _render(request, "disclosure/power_detail.html", _power_context(row, is_alias=True))


@public_page
def power_version(request, region_code, code, version):
    row = selectors.power_version(region_code, code, version)
    return _render(request, "disclosure/power_detail.html", _power_context(row, is_alias=False))


@public_page
def power_compare(request, region_code, code):
    current = selectors.power_current(region_code, code)
    history = selectors.power_history(current)
    versions = [h["version"] for h in history]
    try:
        a = int(request.GET.get("a") or (versions[1] if len(versions) > 1 else versions[0]))
        b = int(request.GET.get("b") or versions[0])
    except (TypeError, ValueError):
        raise Http404(_("版本号无效。"))
    old, new = (selectors.power_version(region_code, code, v) for v in sorted((a, b)))
    rows = [
        {"label": o["label"], "old": o["text"], "new": n["text"], "changed": o["text"] != n["text"]}
        for o, n in zip(snapshot_rows(old.data), snapshot_rows(new.data))
        if o["text"] or n["text"]
    ]
    return _render(request, "disclosure/power_compare.html", {
        "row": current, "old": old, "new": new, "rows": rows, "versions": versions,
        "changed_count": len(snapshot_diff(old.data, new.data)), "region_code": region_code,
    })


@public_page
def changes(request, region_code, department_id):
    region = selectors.region_by_code(region_code)
    department = selectors.department_of(region, department_id)
    return _render(request, "disclosure/change_log.html", {
        "region": region, "department": department, "publications": selectors.change_log(department),
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


class DepartmentChangesFeed(Feed):
    """The department's change log as an Atom feed: one entry per publication."""

    feed_type = Atom1Feed

    def get_object(self, request, region_code, department_id):
        region = selectors.region_by_code(region_code)
        return selectors.department_of(region, department_id)

    def title(self, obj):
        return _("%(department)s公开目录变更") % {"department": obj.name}

    def link(self, obj):
        return reverse("disclosure:changes", args=[obj.region.code, obj.pk])

    def subtitle(self, obj):
        return _("%(region)s%(department)s每次公开的变更说明。") % {"region": obj.region.name, "department": obj.name}

    def items(self, obj):
        return selectors.change_log(obj)

    def item_title(self, item):
        return _("第%(n)s批公开:新增%(a)s项,变更%(c)s项,取消%(x)s项") % {
            "n": item.number, "a": item.added_count, "c": item.changed_count, "x": item.cancelled_count}

    def item_description(self, item):
        return item.note

    def item_link(self, item):
        return reverse("disclosure:changes", args=[item.department.region.code, item.department_id]) + f"#p{item.number}"

    def item_pubdate(self, item):
        return item.published_at


department_feed = public_page(DepartmentChangesFeed())


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
