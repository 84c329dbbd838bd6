"""Organisation scopes in SQL: what a user may read (visible_q, the same scopes as
powerlist.org.permissions.can_view_item), stand-in grants, departments in a scope."""

from django.db.models import Q

from powerlist.org.models import Department, DepartmentUserObjectPermission
from powerlist.org.permissions import stand_in_department_ids
from powerlist.org.roles import REGION_ROLES, Role
from powerlist.review.models import ReviewState


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
    if has_stand_in(user):
        q |= Q(**{f"{p}department_id__in": stand_in_departments(user)})
    return q


def stand_in_departments(user):
    """Subquery of the departments the user stands in for as department reviewer."""
    return DepartmentUserObjectPermission.objects.filter(
        user=user, permission__codename="act_as_department_reviewer"
    ).values("content_object_id")


def has_stand_in(user):
    return bool(stand_in_department_ids(user))


def departments_in_scope(*, user, role):
    """Departments a region-level reviewer filters its queue by (none for department roles)."""
    if role not in REGION_ROLES or not user.department_id:
        return Department.objects.none()
    return Department.objects.filter(region_id=user.department.region_id, kind=Department.Kind.ORDINARY).order_by(
        "order", "name"
    )
