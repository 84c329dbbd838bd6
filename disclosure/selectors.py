"""Every read of the public portal. Only rows of publications are read: nothing here
touches a working copy. Lists are paginated and cost a fixed number of queries."""

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, Min, Q, Value, When
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from powerlist.models import Category, Department, Region

from disclosure.models import Publication, PublishedPower
from disclosure.search import query_groups, tsquery

PAGE_SIZE = 20
COUNT_CAP = 1000
FACET_CAP = 5000


def _current():
    return PublishedPower.objects.filter(is_current=True)


def public_regions():
    """Regions with at least one current publication, with their number of public powers."""
    return (
        Region.objects.filter(publications__state=Publication.State.CURRENT)
        .annotate(power_total=Count("publications__power_count", distinct=False))
        .annotate(published=Max("publications__published_at"))
        .order_by("path").distinct()
    )


def region_by_code(code):
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("没有该行政区划。"))
    return region


def region_departments(region):
    """The region's departments that published, with their current publication."""
    return (
        Publication.objects.filter(region=region, state=Publication.State.CURRENT)
        .select_related("department").order_by("department__order", "department__name")
    )


def department_of(region, department_id):
    department = Department.objects.filter(region=region, pk=department_id).first()
    if department is None or not Publication.objects.filter(department=department).exists():
        raise Http404(_("该部门尚未公开目录。"))
    return department


def department_categories(department):
    """[(category, count)] of the department's current publication."""
    rows = (
        _current().filter(department=department).values("category").annotate(n=Count("id"))
        .order_by("category__order", "category__code")
    )
    categories = Category.objects.in_bulk([r["category"] for r in rows])
    return [(categories[r["category"]], r["n"]) for r in rows]


def category_of(category_id):
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise Http404(_("没有该职权类别。"))
    return category


def category_powers(department, category, page=1):
    qs = (
        _current().filter(department=department, category=category)
        .select_related("region").only("id", "code", "name", "status", "version", "parent_code", "region__code")
        .order_by("code")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def _rows():
    return PublishedPower.objects.select_related("publication", "region", "department").defer("search_vector")


def power_current(region_code, code):
    """The power's newest published row (its department's current publication, or the
    last one that held it). Http404 when never published."""
    row = _rows().filter(region__code=region_code, code=code).order_by("-publication__published_at", "-id").first()
    if row is None:
        raise Http404(_("没有该公开事项。"))
    return row


def power_version(region_code, code, version):
    """The first publication of version `version` of the power: its stable address."""
    row = _rows().filter(region__code=region_code, code=code, version=version).order_by("publication_id").first()
    if row is None:
        raise Http404(_("没有该公开版本。"))
    return row


def power_history(row):
    """[{version, first published, last published, publication number}] of the power, newest first."""
    return list(
        PublishedPower.objects.filter(power_id=row.power_id).values("version")
        .annotate(first=Min("publication__published_at"), last=Max("publication__published_at"),
                  number=Min("publication__number"))
        .order_by("-version")
    )


def change_log(department, limit=50):
    return (
        Publication.objects.filter(department=department).select_related("publisher", "department__region")
        .order_by("-number")[:limit]
    )


def region_change_log(region, limit=50):
    return (
        Publication.objects.filter(region=region).select_related("department").order_by("-published_at")[:limit]
    )


def latest_publication_time():
    return Publication.objects.aggregate(t=Max("published_at"))["t"]


# ---------------------------------------------------------------- search


def _pg():
    return connection.vendor == "postgresql"


def search_queryset(q, filters=None):
    """Current published rows matching `q`, ranked: an exact code first, then name
    hits, then the rest (by code). (queryset, matched): matched is False when `q`
    holds no term, and the queryset is then empty."""
    filters = filters or {}
    groups = query_groups(q)
    qs = _current()
    for key in ("region", "department", "category"):
        if filters.get(key):
            qs = qs.filter(**{f"{key}_id": filters[key]})
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if not groups:
        return qs.none(), False
    exact = Case(When(code__iexact=q.strip(), then=Value(1)), default=Value(0), output_field=IntegerField())
    if _pg():
        qs = qs.extra(where=["search_vector @@ to_tsquery('simple', %s)"], params=[tsquery(groups)])
        in_name = RawSQL("(search_vector @@ to_tsquery('simple', %s))::int", (tsquery(groups, weight="A"),))
    else:
        for group in groups:
            condition = Q()
            for alternative in group:
                condition |= Q(search_text__icontains=alternative)
            qs = qs.filter(condition)
        name_hit = Q()
        for group in groups:
            group_hit = Q()
            for alternative in group:
                group_hit |= Q(name__icontains=alternative)
            name_hit &= group_hit
        in_name = Case(When(name_hit, then=Value(1)), default=Value(0), output_field=IntegerField())
    return qs.annotate(exact=exact, in_name=in_name).order_by("-exact", "-in_name", "code"), True


def capped_count(qs, cap=COUNT_CAP) -> tuple:
    """(count, capped): counts at most `cap` + 1 rows, so a common query never pays for
    an exact COUNT over tens of thousands of hits."""
    n = qs.order_by().values("id")[: cap + 1].count()
    return min(n, cap), n > cap


def search_facets(qs, cap=FACET_CAP) -> dict:
    """Counts per region, level, department and category over the first `cap` hits,
    computed in the database ({"capped": bool, "region": [(id, name, n)], …})."""
    sample = PublishedPower.objects.filter(pk__in=qs.order_by().values("id")[:cap])
    facets = {"capped": qs.order_by().values("id")[cap:cap + 1].exists()}
    for key, label in (("region", "region__name"), ("department", "department__name"),
                       ("category", "category__name")):
        facets[key] = [
            (r[key], r[label], r["n"])
            for r in sample.values(key, label).annotate(n=Count("id")).order_by("-n", label)[:30]
        ]
    facets["level"] = [(r["level"], r["level"], r["n"]) for r in
                       sample.values("level").annotate(n=Count("id")).order_by("-n")]
    return facets


def search(q, filters=None, page=1):
    """One page of results with capped total and facets; rows carry what the list shows."""
    qs, matched = search_queryset(q, filters)
    if not matched:
        return {"matched": False, "page": None, "count": 0, "capped": False, "facets": None}
    count, capped = capped_count(qs)
    paginator = Paginator(
        qs.select_related("region", "department", "category").only(
            "id", "code", "name", "status", "version", "level", "parent_code", "search_text",
            "region__code", "region__name", "department__name", "category__name"),
        PAGE_SIZE,
    )
    # The paginator would run an exact COUNT: give it the capped one.
    paginator.count = count
    return {"matched": True, "page": paginator.get_page(page), "count": count, "capped": capped,
            "facets": search_facets(qs)}
