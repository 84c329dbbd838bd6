"""Organisation scopes in SQL: what a user may read (visible_q, the same scopes as
powerlist.org.permissions.can_view_item), stand-in grants, departments in a scope, and
the user administration's lists (the same scopes as the administration predicates)."""

from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, Subquery, Value

from powerlist.org.models import (
    DEPARTMENT_ADMINISTRATOR_PERMISSION,
    Department,
    DepartmentUserObjectPermission,
    Division,
    RoleAssignment,
    User,
    active_department_grants,
    active_stand_in_grants,
)
from powerlist.org.permissions import (
    DEPARTMENT_ADMINISTRATOR,
    administered_department_id,
    can_administer_users,
    stand_in_department_ids,
)
from powerlist.org.roles import REGION_ROLES, Role
from powerlist.review.models import ReviewState
from powerlist.review.record_models import ReviewLogEntry

NOTHING = Q(pk__in=[])


class _Scope(NamedTuple):
    """What `user` may read: everything, or the union of their own department (clerk,
    department reviewer), their region and the regions below it (region roles), and the
    departments they stand in for. visible_q and visible_department_floor both build on
    it, so the two never disagree about a role."""

    everything: bool
    department_id: int | None = None
    region: object = None
    stand_in: bool = False


def _scope(user):
    """The user's _Scope; None for an anonymous user (nothing to read)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return _Scope(everything=True)
    own = region = None
    if user.department_id:
        if user.has_role(Role.CLERK) or user.has_role(Role.DEPARTMENT_REVIEWER):
            own = user.department_id
        if any(user.has_role(r) for r in REGION_ROLES):
            region = user.department.region
    return _Scope(everything=False, department_id=own, region=region, stand_in=has_stand_in(user))


def visible_q(user, *, prefix="") -> Q:
    """The Q that limits any reviewable model (fields department, division?, region,
    state; `prefix` for a related path such as "power__") to what `user` may read.
    The same scopes as permissions.can_view_item, in SQL."""
    p = prefix
    scope = _scope(user)
    if scope is None:
        return NOTHING
    if scope.everything:
        return Q()
    q = NOTHING
    if scope.department_id:
        q |= Q(**{f"{p}department_id": scope.department_id})
    if scope.region is not None:
        q |= Q(**{f"{p}region_id": scope.region.id})
        q |= Q(**{f"{p}region__path__startswith": scope.region.path}) & ~Q(**{f"{p}state": ReviewState.DRAFT})
    if scope.stand_in:
        q |= Q(**{f"{p}department_id__in": stand_in_departments(user)})
    return q


def visible_department_floor(user):
    """The lowest id of a department whose items `user` may read, as a subquery (None when
    every department is readable): the department twin of visible_q, for lists ordered by
    department. Such a list walks the department index from the first department, and a
    scope that starts far down it (a city office among a province's departments, or the
    second province of a database) made PostgreSQL read every row before it and discard
    them (bench/results.md, staff list); `department_id >= floor` starts the walk at the
    scope. It relies on an item's region being its department's region, which every write
    keeps (an item is created in, and moved with, its department)."""
    scope = _scope(user)
    if scope is None or scope.everything:
        return None
    q = NOTHING
    if scope.department_id:
        q |= Q(pk=scope.department_id)
    if scope.region is not None:
        q |= Q(region__path__startswith=scope.region.path)
    if scope.stand_in:
        q |= Q(pk__in=stand_in_departments(user))
    # min(id), not ORDER BY id LIMIT 1: that walked the department key testing each row
    # against the regions of the scope (170 ms at 8,700 departments, the second province).
    departments = Department.objects.filter(q).order_by()
    return Subquery(departments.annotate(one=Value(1)).values("one").annotate(floor=Min("pk")).values("floor"))


def stand_in_departments(user):
    """Subquery of the departments the user stands in for as department reviewer today."""
    return active_stand_in_grants().filter(user=user).values("content_object_id")


def has_stand_in(user):
    return bool(stand_in_department_ids(user))


def stand_in_q(user, *, prefix="") -> Q:
    """Items of the departments `user` stands in for as department reviewer: the SQL
    twin of permissions.stands_in_as (nothing when the user holds no grant)."""
    if not has_stand_in(user):
        return NOTHING
    return Q(**{f"{prefix}department_id__in": stand_in_departments(user)})


def clerk_division_q(user, *, prefix="") -> Q:
    """Items a clerk's division reaches: the SQL twin of permissions.clerk_reaches_division
    (everything for a clerk without a division; for a model without a division field,
    pass nothing and skip it)."""
    if not user.division_id:
        return Q()
    return Q(**{f"{prefix}division_id": user.division_id}) | Q(**{f"{prefix}division_id__isnull": True})


def clerks_reaching_q(division_id) -> Q:
    """Users whose division reaches an item of `division_id`: clerk_reaches_division
    read the other way round, over users (the recipients of a clerk's notice)."""
    if division_id is None:
        return Q()
    return Q(division__isnull=True) | Q(division_id=division_id)


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
        scope = holders & Q(department_id=obj.department_id) & clerks_reaching_q(getattr(obj, "division_id", None))
    elif role == Role.DEPARTMENT_REVIEWER:
        stand_ins = active_stand_in_grants().filter(content_object_id=obj.department_id).values("user_id")
        scope = (holders & Q(department_id=obj.department_id)) | Q(pk__in=stand_ins)
    elif role in REGION_ROLES:
        scope = holders & Q(department__region_id=obj.region_id)
    else:
        return []
    return list(User.objects.filter(scope, is_active=True).order_by("pk").values_list("pk", flat=True))


# --- User administration -----------------------------------------------------------


def admin_departments(*, user):
    """Departments whose users `user` administers (permissions.can_administer_department
    in SQL): all for a superuser, the region of their department and below for a
    系统管理员, their own for a 部门管理员, none otherwise."""
    decision = can_administer_users(user)
    departments = Department.objects.select_related("region").order_by("region__path", "order", "name")
    if not decision:
        return departments.none()
    if user.is_superuser:
        return departments
    if decision.role == DEPARTMENT_ADMINISTRATOR:
        return departments.filter(pk=administered_department_id(user))
    return departments.filter(region__path__startswith=user.department.region.path)


def admin_divisions(*, user, department_id):
    """Divisions of one department the user administers (empty when out of scope)."""
    return Division.objects.filter(department__in=admin_departments(user=user), department_id=department_id)


def _department_administrators():
    return active_department_grants().filter(
        user=OuterRef("pk"), permission__codename=DEPARTMENT_ADMINISTRATOR_PERMISSION
    )


def admin_users(*, user):
    """Accounts `user` may manage (permissions.can_manage_user in SQL), unordered: in the
    departments they administer; a 部门管理员 sees only clerks (accounts with no role but
    经办人 and no administrator grant) and themselves; superusers only to superusers."""
    decision = can_administer_users(user)
    if not decision:
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    qs = User.objects.filter(is_superuser=False, department__in=admin_departments(user=user))
    if decision.role == DEPARTMENT_ADMINISTRATOR:
        others = RoleAssignment.objects.filter(user=OuterRef("pk")).exclude(role=Role.CLERK)
        qs = qs.filter(~Exists(others) & ~Exists(_department_administrators())) | qs.filter(pk=user.pk)
    return qs


def user_admin_list(*, user, filters):
    """The accounts page: admin_users filtered by `filters` (q: part of the username or
    name; department: id; role: a Role value; active: True/False), ordered by department
    and username, with department, region, division and roles loaded in constant queries."""
    qs = admin_users(user=user)
    if q := filters.get("q"):
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if department := filters.get("department"):
        qs = qs.filter(department=department)
    if role := filters.get("role"):
        qs = qs.filter(role_assignments__role=role)
    if filters.get("active") is not None:
        qs = qs.filter(is_active=filters["active"])
    return (
        qs.select_related("department__region", "division")
        .prefetch_related(Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role")))
        .annotate(is_department_administrator=Exists(_department_administrators()))
        .order_by("department__region__path", "department__order", "department__name", "username")
    )


def user_department_grants(*, user):
    """The per-department grants the account holds (stand-ins, department administrator),
    in force or expired, with their departments."""
    return (
        DepartmentUserObjectPermission.objects.filter(user=user)
        .select_related("content_object__region", "permission")
        .order_by("permission__codename", "content_object__name")
    )


def user_record(*, user, limit=50):
    """The latest operation-record entries about the account, newest first (entries may
    span chains, so by time and insertion, never by `seq`)."""
    return ReviewLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=user.pk
    ).order_by("-created_at", "-id")[:limit]
