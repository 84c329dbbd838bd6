"""Every "may this user do X to Y" rule of the organisation and the review chain.

Predicates return a Decision: truthy when allowed, with the reason when refused.
Views (powerlist.mixins.RoleRequiredMixin), the API (powerlist.api.permissions.PortalPermission)
and services all call these same predicates; selectors apply the same scopes as
queryset filters.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from powerlist.models.review import ReviewState
from powerlist.review import find_transition
from powerlist.roles import REGION_ROLES, Role


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


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def stand_in_department_ids(user) -> frozenset:
    """Departments the user may act for as an absent department reviewer (a
    django-guardian grant), loaded once per user object."""
    from powerlist.models import DepartmentUserObjectPermission

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
    if not _active(user):
        return deny(_("请先登录。"))
    if user.is_superuser or user.has_role(role):
        return allow(role)
    if role == Role.DEPARTMENT_REVIEWER and is_stand_in_reviewer(user, user.department_id):
        return allow(role)
    return deny(
        _("此页面仅供“%(role)s”使用,您的账号没有该角色。") % {"role": Role(role).label}
    )


def can_transition(user, obj, action) -> Decision:
    """May `user` take review `action` on `obj` in its current state?"""
    if not _active(user):
        return deny(_("请先登录。"))
    transition = find_transition(type(obj), obj.state, action)
    if transition is None:
        return deny(
            _("当前状态“%(state)s”下不能执行此操作。") % {"state": ReviewState(obj.state).label}
        )
    held = [r for r in transition.roles if user.has_role(r) or r == Role.DEPARTMENT_REVIEWER]
    for role in sorted(held):
        if role_in_scope(user, role, obj):
            return allow(role)
    names = "、".join(str(Role(r).label) for r in sorted(transition.roles))
    if not any(user.has_role(r) for r in transition.roles):
        return deny(_("此操作需要“%(roles)s”角色。") % {"roles": names})
    return deny(_("该事项不在您的管辖范围内(本部门、本级本区划)。"))


def can_view_item(user, obj) -> Decision:
    """Reads: own department for department roles; the office roles read their region
    and, past the draft stage, the regions below; experts read what they were assigned
    (checked by the owning app); administrators read everything."""
    if not _active(user):
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
    if not _active(user):
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
    if not _active(user):
        return deny(_("请先登录。"))
    if not user.has_role(Role.CLERK) or user.department_id != department.id:
        return deny(_("只有本部门的经办人可以新增事项。"))
    return allow(Role.CLERK)
