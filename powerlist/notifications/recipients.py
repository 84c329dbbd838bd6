"""Who holds a role in the scope of an item: the recipients of a notice.

Mirrors powerlist.permissions.role_in_scope as one SQL query (tests compare the two).
"""

from django.db.models import Q

from powerlist.org.models import DepartmentUserObjectPermission, RoleAssignment, User
from powerlist.org.roles import REGION_ROLES, Role


def user_ids_acting_as(*, role, obj) -> list[int]:
    """Ids of active users who hold `role` in the scope of `obj` (anything with
    region_id, department_id and optionally division_id), ascending, in one query:
    clerks of obj's department (a clerk with a division only for items of that
    division or of none), department reviewers of obj's department plus stand-ins (a
    django-guardian grant 'act_as_department_reviewer' on the department), and the
    region roles (office reviewer, establishment, legal, supervisor) whose department
    is in obj's region. Other roles (expert, administrator) have no scope: []."""
    holders = Q(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    # A filter on a missing id would match users without a department (IS NULL).
    if role in (Role.CLERK, Role.DEPARTMENT_REVIEWER) and obj.department_id is None:
        return []
    if role in REGION_ROLES and obj.region_id is None:
        return []
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
    return list(
        User.objects.filter(scope, is_active=True).order_by("pk").values_list("pk", flat=True)
    )
