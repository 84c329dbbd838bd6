"""Reads the pages and the API need, already scoped to the user in the query itself."""

import operator
from functools import reduce

from django.db.models import Count, Q, Subquery

from powerlist.models import Category, DepartmentUserObjectPermission, Power, ReviewLogEntry, ReviewState
from powerlist.roles import REGION_ROLES, Role


def visible_q(user, *, prefix="") -> Q:
    """The Q that limits any reviewable model (fields department, division?, region,
    state; `prefix` for a related path such as "power__") to what `user` may read.
    The same scopes as permissions.can_view_item, in SQL."""
    p = prefix
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return Q()
    q = Q(pk__in=[])
    if user.department_id:
        if user.has_role(Role.CLERK) or user.has_role(Role.DEPARTMENT_REVIEWER):
            q |= Q(**{f"{p}department_id": user.department_id})
        if any(user.has_role(r) for r in REGION_ROLES):
            region = user.department.region
            q |= Q(**{f"{p}region_id": region.id})
            q |= Q(**{f"{p}region__path__startswith": region.path}) & ~Q(**{f"{p}state": ReviewState.DRAFT})
    if _has_stand_in(user):
        q |= Q(**{f"{p}department_id__in": stand_in_departments(user)})
    return q


def stand_in_departments(user):
    """Subquery of the departments the user stands in for as department reviewer."""
    return DepartmentUserObjectPermission.objects.filter(
        user=user, permission__codename="act_as_department_reviewer"
    ).values("content_object_id")


def _has_stand_in(user):
    from powerlist.permissions import stand_in_department_ids

    return bool(stand_in_department_ids(user))


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
        from powerlist.models import Department

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


def review_queue_q(user, role) -> Q:
    """What waits for `user` acting as `role` ("waiting for me"), as a Q."""
    if not user.department_id and role != Role.DEPARTMENT_REVIEWER:
        return Q(pk__in=[])
    if role == Role.CLERK:
        q = Q(department_id=user.department_id, state=ReviewState.DRAFT)
        if user.division_id:
            q &= Q(division_id=user.division_id)
        return q
    if role == Role.DEPARTMENT_REVIEWER:
        own = Q(department_id=user.department_id) if user.has_role(role) else Q(pk__in=[])
        if _has_stand_in(user):
            own |= Q(department_id__in=stand_in_departments(user))
        return own & Q(state=ReviewState.DEPARTMENT_REVIEW)
    region_id = user.department.region_id
    if role == Role.OFFICE_REVIEWER:
        return Q(region_id=region_id, state=ReviewState.OFFICE_REVIEW)
    if role == Role.ESTABLISHMENT_CONFIRMER:
        return Q(region_id=region_id, state=ReviewState.FINAL_REVIEW, establishment_confirmed_by__isnull=True)
    if role == Role.LEGAL_CONFIRMER:
        return Q(region_id=region_id, state=ReviewState.FINAL_REVIEW, legal_confirmed_by__isnull=True)
    return Q(pk__in=[])


def power_review_queue(*, user, role, filters=None):
    filters = filters or {}
    qs = power_list_queryset().filter(review_queue_q(user, role))
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    return qs.order_by("submitted_at", "id")


def power_queue_counts(*, user, roles):
    """{role: count} of powers waiting for the user, one aggregate query."""
    queues = {role: review_queue_q(user, role) for role in roles}
    if not queues:
        return {}
    # The WHERE clause (any of the queues) lets the state indexes narrow the scan.
    return Power.objects.filter(reduce(operator.or_, queues.values())).aggregate(
        **{role: Count("id", filter=q) for role, q in queues.items()}
    )


def review_log_for(obj):
    from django.contrib.contenttypes.models import ContentType

    return (
        ReviewLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )
        .select_related("actor")
        .order_by("seq")
    )


def departments_in_scope(*, user, role):
    """Departments a region-level reviewer filters its queue by (none for department roles)."""
    from powerlist.models import Department

    if role not in REGION_ROLES or not user.department_id:
        return Department.objects.none()
    return Department.objects.filter(region_id=user.department.region_id, kind=Department.Kind.ORDINARY).order_by(
        "order", "name"
    )


def category_list():
    return Category.objects.filter(is_active=True).order_by("order", "code")


def catalogue_groups(*, powers):
    """Group an ordered power list by category, as the catalogue shows it."""
    groups = {}
    for power in powers:
        groups.setdefault(power.category, []).append(power)
    return sorted(groups.items(), key=lambda kv: (kv[0].order, kv[0].code))


def previous_submission(obj):
    """The submission before the current one (its log entry, with its snapshot), so a
    reviewer sees what changed since they last saw the item; None on a first submission."""
    from django.contrib.contenttypes.models import ContentType

    from powerlist.models import ReviewAction

    submissions = ReviewLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        action=ReviewAction.SUBMIT,
        snapshot__isnull=False,
    ).order_by("-seq")
    if obj.state == ReviewState.DRAFT:
        return submissions.first()
    return submissions[1:2].first()
