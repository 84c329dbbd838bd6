"""Every "may this user do X to Y" rule of the organisation: reading, editing and
creating items in scope, and the workspace roles (review transitions:
powerlist.review.permissions).

Predicates return a Decision: truthy when allowed, with the reason when refused.
Views (powerlist.org.mixins.RoleRequiredMixin), the API (powerlist.api.PortalPermission)
and services all call these same predicates; selectors apply the same scopes as
queryset filters.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from powerlist.org.models import DepartmentUserObjectPermission
from powerlist.org.roles import REGION_ROLES, Role
from powerlist.review.models import ReviewState


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    role: str = ""

    def __bool__(self):
        return self.allowed


def allow(role=""):
    return Decision(True, role=role)


def deny(reason):
    return Decision(False, reason=str(reason))


def signed_in(user) -> bool:
    """A signed-in, active account (every predicate's first check)."""
    return user is not None and user.is_authenticated and user.is_active


def stand_in_department_ids(user) -> frozenset:
    """Departments the user may act for as an absent department reviewer (a
    django-guardian grant), loaded once per user object."""
    cache = getattr(user, "_stand_in_cache", None)
    if cache is None:
        cache = frozenset(
            DepartmentUserObjectPermission.objects.filter(
                user=user, permission__codename="act_as_department_reviewer"
            ).values_list("content_object_id", flat=True)
        )
        user._stand_in_cache = cache
    return cache


def is_stand_in_reviewer(user, department_id) -> bool:
    return department_id in stand_in_department_ids(user)


def role_in_scope(user, role, obj) -> bool:
    """Whether `role`, held by `user`, reaches `obj` (anything with department and region)."""
    if role == Role.DEPARTMENT_REVIEWER and is_stand_in_reviewer(user, obj.department_id):
        return True
    if not user.has_role(role) or not user.department_id:
        return False
    if role == Role.CLERK:
        if obj.department_id != user.department_id:
            return False
        obj_division = getattr(obj, "division_id", None)
        return not user.division_id or obj_division in (None, user.division_id)
    if role == Role.DEPARTMENT_REVIEWER:
        return obj.department_id == user.department_id
    if role in REGION_ROLES:
        return obj.region_id == user.department.region_id
    return False


def has_workspace_role(user, role) -> Decision:
    if not signed_in(user):
        return deny(_("请先登录。"))
    if user.is_superuser or user.has_role(role):
        return allow(role)
    if role == Role.DEPARTMENT_REVIEWER and is_stand_in_reviewer(user, user.department_id):
        return allow(role)
    return deny(
        _("此页面仅供“%(role)s”使用,您的账号没有该角色。") % {"role": Role(role).label}
    )


def can_view_item(user, obj) -> Decision:
    """Reads: own department for department roles; the office roles read their region
    and, past the draft stage, the regions below; experts read what they were assigned
    (checked by the owning app); administrators read everything."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return allow(Role.ADMINISTRATOR)
    if not user.department_id:
        return deny(_("您的账号未分配部门。"))
    if obj.department_id == user.department_id and (
        user.has_role(Role.CLERK) or user.has_role(Role.DEPARTMENT_REVIEWER)
    ):
        return allow()
    if is_stand_in_reviewer(user, obj.department_id):
        return allow(Role.DEPARTMENT_REVIEWER)
    if any(user.has_role(r) for r in REGION_ROLES):
        user_region = user.department.region
        if obj.region_id == user_region.id:
            return allow()
        if obj.state != ReviewState.DRAFT and obj.region.path.startswith(user_region.path):
            return allow()
    return deny(_("您无权查看该事项。"))


def can_edit_item(user, obj) -> Decision:
    """Editing the working copy: a clerk in scope, while it is a draft."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if not role_in_scope(user, Role.CLERK, obj):
        return deny(_("只有本部门(处室)的经办人可以编辑该事项。"))
    if obj.state != ReviewState.DRAFT:
        return deny(
            _("事项处于“%(state)s”状态,不能编辑;如需修改请先撤回或发起修订。")
            % {"state": ReviewState(obj.state).label}
        )
    return allow(Role.CLERK)


def can_create_in(user, department) -> Decision:
    if not signed_in(user):
        return deny(_("请先登录。"))
    if not user.has_role(Role.CLERK) or user.department_id != department.id:
        return deny(_("只有本部门的经办人可以新增事项。"))
    return allow(Role.CLERK)
