"""Reads the pages and the API need, already scoped to the user in the query itself."""


from django.db.models import Q, Subquery

from powerlist.catalogue.models import Category, Power
from powerlist.org.models import Department
from powerlist.org.selectors import visible_q


def power_queryset():
    """Powers with what a detail page shows (the revision in force, the adopted source)."""
    return Power.objects.select_related(
        "category", "department", "division", "region", "in_force", "source"
    )


def power_list_queryset():
    """Powers with only what list rows show: narrow rows keep big sorts in memory."""
    return Power.objects.select_related("category", "department", "division", "region")


def power_list(*, user, filters=None):
    """Powers the user may read, newest first within department and category order.

    filters: category (id), state, disposition, department (id), division (id), q (text),
    own_region (bool: only the user's own region, not the regions below).
    Ordered by indexed columns (department, code): sorting on joined columns made
    PostgreSQL sort every visible row at 500,000 powers (bench/results.md).
    """
    filters = filters or {}
    qs = power_list_queryset().filter(visible_q(user))
    if filters.get("own_region") and user.department_id:
        qs = qs.filter(region_id=Subquery(Department.objects.filter(pk=user.department_id).values("region_id")))
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("disposition"):
        qs = qs.filter(disposition=filters["disposition"])
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("division"):
        qs = qs.filter(division_id=filters["division"])
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return qs.order_by("department_id", "code")


def category_list():
    return Category.objects.filter(is_active=True).order_by("order", "code")


def catalogue_groups(*, powers):
    """Group an ordered power list by category, as the catalogue shows it."""
    groups = {}
    for power in powers:
        groups.setdefault(power.category, []).append(power)
    return sorted(groups.items(), key=lambda kv: (kv[0].order, kv[0].code))


