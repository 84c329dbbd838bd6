"""Reads the pages and the API need, already scoped to the user in the query itself."""


from django.db.models import Count, Prefetch, Subquery

from powerlist.catalogue.effective import effective_prefetch
from powerlist.catalogue.models import Category, Power, ResponsibilityItem
from powerlist.org.models import Department
from powerlist.org.selectors import visible_department_floor, visible_q
from powerlist.search import staff_search_filter


def power_queryset():
    """Powers with what a detail page shows (the revision in force, the adopted source,
    the main item of a sub-item)."""
    return Power.objects.select_related(
        "category", "department", "division", "region", "in_force", "source", "parent"
    )


def power_list_queryset():
    """Powers with only what list rows show: narrow rows keep big sorts in memory."""
    return Power.objects.select_related("category", "department", "division", "region")


def power_adoption_sources(*, department, q=""):
    """The confirmed main items of the level above `department`'s region that it may
    adopt: never a cancelled one (取消 ends a power; the level below must not take it up).
    Empty for a province, which has no level above."""
    parent_id = department.region.parent_id
    if not parent_id:
        return Power.objects.none()
    qs = (power_queryset().filter(region_id=parent_id, state="confirmed", parent__isnull=True)
          .exclude(disposition=Power.Disposition.CANCEL))
    if q:
        qs = staff_search_filter(qs, q)
    return qs.order_by("category__order", "code")


def power_list(*, user, filters=None):
    """Powers the user may read, newest first within department and category order.

    filters: category (id), state, disposition, department (id), division (id), q (text),
    own_region (bool: only the user's own region, not the regions below).
    Ordered by indexed columns (department, code): sorting on joined columns made
    PostgreSQL sort every visible row at 500,000 powers (bench/results.md).
    """
    filters = filters or {}
    qs = power_list_queryset().filter(visible_q(user))
    floor = visible_department_floor(user)
    if floor is not None:  # start the department-ordered walk at the user's scope
        qs = qs.filter(department_id__gte=floor)
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
        # The portal's search (powerlist.search): a GIN-indexed stored tsvector on PostgreSQL.
        qs = staff_search_filter(qs, filters["q"])
    return qs.order_by("department_id", "code")


def catalogue_categories(*, user, department_id, in_force):
    """[(category, number of main items)] in the department's catalogue, in category
    order: the items with a version in force (`in_force`) or every working copy. One query."""
    qs = _catalogue_mains(user=user, department_id=department_id, in_force=in_force)
    counts = dict(qs.order_by().values_list("category_id").annotate(n=Count("id")))
    return [(c, counts[c.pk]) for c in Category.objects.filter(pk__in=counts).order_by("order", "code")]


def _catalogue_mains(*, user, department_id, in_force):
    qs = Power.objects.filter(visible_q(user), department_id=department_id, parent__isnull=True)
    return qs.filter(in_force__isnull=False) if in_force else qs


def catalogue_items(*, user, department_id, category_id, in_force, division_id=None):
    """The main items of one category of the department's catalogue, by code, each with
    its sub-items in `catalogue_subs` (code order).

    in_force=True: the confirmed directory, items and sub-items with a version in force
    (read their `in_force.data`); in_force=False: the working copies, every item with
    its lists prefetched for power_effective_snapshot. A fixed number of queries per page.
    """
    qs = _catalogue_mains(user=user, department_id=department_id, in_force=in_force).filter(category_id=category_id)
    if division_id:
        qs = qs.filter(division_id=division_id)
    subs = Power.objects.select_related("division", "in_force").order_by("code")
    if in_force:
        return (qs.select_related("division", "in_force").order_by("code")
                .prefetch_related(Prefetch("sub_items", queryset=subs.filter(in_force__isnull=False),
                                           to_attr="catalogue_subs")))
    lists = [name for name in effective_prefetch() if not name.startswith("parent__")]
    return (qs.select_related("division", "category", "in_force").order_by("code")
            .prefetch_related(*lists, Prefetch("sub_items", queryset=subs.select_related("category")
                                               .prefetch_related(*lists), to_attr="catalogue_subs")))


def power_steps(power):
    """The steps of the power's own flowchart (for tying responsibility items to them)."""
    step_model = ResponsibilityItem._meta.get_field("steps").related_model
    return list(step_model.objects.filter(flowchart__power=power).select_related("post").order_by("order", "id"))


def power_lists(power):
    """The responsibility items (with their steps and posts) and accountability
    circumstances a power shows: its own, or for a sub-item without its own, the main
    item's; "inherited" names the lists taken from the main item. Two to four queries."""
    owners = [power, power.parent] if power.parent_id else [power]
    result, inherited = {}, []
    for key, query in (
        ("responsibility_items", lambda p: p.responsibility_items.prefetch_related("steps__post")),
        ("circumstances", lambda p: p.accountability_circumstances.all()),
    ):
        rows = list(query(owners[0]))
        if not rows and len(owners) > 1:
            rows = list(query(owners[1]))
            inherited.append(key)
        result[key] = rows
    result["inherited"] = inherited
    return result


def power_sub_items(power):
    """A main item's sub-items, by code, with what a row shows."""
    return list(power.sub_items.select_related("division").order_by("code"))


def category_list():
    return Category.objects.filter(is_active=True).order_by("order", "code")
