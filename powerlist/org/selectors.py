"""Organisation scopes in SQL: what a user may read (visible_q, the same scopes as
powerlist.org.permissions.can_view_item), stand-in grants, departments in a scope."""

from django.db.models import Q

from powerlist.org.models import Department, DepartmentUserObjectPermission, RoleAssignment, User
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


def user_ids_acting_as(*, role, obj) -> list[int]:
    """Ids of active users who hold `role` in the scope of `obj` (anything with
    region_id, department_id and optionally division_id), ascending, in one query; the
    same rules as permissions.role_in_scope (tests compare the two): clerks of obj's
    department (a clerk with a division only for items of that division or of none),
    department reviewers of obj's department plus stand-ins (the grant
    'act_as_department_reviewer' on the department), and the region roles (office
    reviewer, establishment, legal, supervisor) whose department is in obj's region.
    Other roles (expert, administrator) have no scope: []. The recipients of a notice."""
    # A filter on a missing id would match users without a department (IS NULL).
    if role in (Role.CLERK, Role.DEPARTMENT_REVIEWER) and obj.department_id is None:
        return []
    if role in REGION_ROLES and obj.region_id is None:
        return []
    holders = Q(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    if role == Role.CLERK:
        scope = holders & Q(department_id=obj.department_id)
        division_id = getattr(obj, "division_id", None)
        if division_id is not None:
            scope &= Q(division__isnull=True) | Q(division_id=division_id)
    elif role == Role.DEPARTMENT_REVIEWER:
        stand_ins = DepartmentUserObjectPermission.objects.filter(
            permission__codename="act_as_department_reviewer", content_object_id=obj.department_id
        ).values("user_id")
        scope = (holders & Q(department_id=obj.department_id)) | Q(pk__in=stand_ins)
    elif role in REGION_ROLES:
        scope = holders & Q(department__region_id=obj.region_id)
    else:
        return []
    return list(User.objects.filter(scope, is_active=True).order_by("pk").values_list("pk", flat=True))
