"""Every "may this user do X to Y" rule of the organisation: reading, editing and
creating items in scope, and the workspace roles (review transitions:
powerlist.review.permissions).

Predicates return a Decision: truthy when allowed, with the reason when refused.
Views (powerlist.org.mixins.RoleRequiredMixin), the API (powerlist.api.PortalPermission)
and services all call these same predicates; selectors apply the same scopes as
queryset filters.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from powerlist.org.models import (
    DEPARTMENT_ADMINISTRATOR_PERMISSION,
    STAND_IN_PERMISSION,
    active_department_grants,
)
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


def require(decision):
    """The decision when it allows; PermissionDenied with its reason (a 403 page or API
    answer that says why) when it does not. Services and views call this instead of
    testing the decision themselves."""
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


def signed_in(user) -> bool:
    """A signed-in, active account (every predicate's first check)."""
    return user is not None and user.is_authenticated and user.is_active


def _department_grant_ids(user) -> dict:
    """{codename: frozenset(department ids)} of the user's per-department grants in force
    today (stand-ins, department administrator), one query per user object."""
    cache = getattr(user, "_department_grants_cache", None)
    if cache is None:
        grants = {}
        rows = active_department_grants().filter(user=user).values_list("permission__codename", "content_object_id")
        for codename, department_id in rows:
            grants.setdefault(codename, set()).add(department_id)
        cache = {codename: frozenset(ids) for codename, ids in grants.items()}
        user._department_grants_cache = cache
    return cache


def stand_in_department_ids(user) -> frozenset:
    """Departments the user may act for as an absent department reviewer (a
    django-guardian grant in force today), loaded once per user object."""
    return _department_grant_ids(user).get(STAND_IN_PERMISSION, frozenset())


def administered_department_ids(user) -> frozenset:
    """Departments whose clerks the user manages as department administrator (部门管理员:
    a django-guardian grant 'administer_department_users' in force today)."""
    return _department_grant_ids(user).get(DEPARTMENT_ADMINISTRATOR_PERMISSION, frozenset())


def is_stand_in_reviewer(user, department_id) -> bool:
    return department_id in stand_in_department_ids(user)


# The stand-in rule and the clerk's division rule are written here and nowhere else;
# their SQL twins are powerlist.org.selectors.stand_in_q and clerk_division_q.


def stands_in_as(user, role, department_id=None) -> bool:
    """The stand-in rule: a grant 'act_as_department_reviewer' in force today lets the
    user act as department reviewer of that department (of any granted department when
    `department_id` is None), and as nothing else."""
    if role != Role.DEPARTMENT_REVIEWER:
        return False
    if department_id is None:
        return bool(stand_in_department_ids(user))
    return is_stand_in_reviewer(user, department_id)


def acts_as(user, role) -> bool:
    """The user holds `role`, by assignment or as a stand-in (scope not considered)."""
    return user.has_role(role) or stands_in_as(user, role)


def clerk_reaches_division(user, division_id) -> bool:
    """The clerk's division rule: a clerk with a division acts only on items of that
    division, or of none; a clerk without one on every item of the department."""
    return not user.division_id or division_id in (None, user.division_id)


def role_in_scope(user, role, obj) -> bool:
    """Whether `role`, held by `user`, reaches `obj` (anything with department and region)."""
    # A principal that holds no account of the organisation (a complainant proved by
    # tracking code and phrase) carries its own, narrower scope.
    reaches = getattr(user, "principal_reaches", None)
    if reaches is not None:
        return reaches(role, obj)
    if stands_in_as(user, role, obj.department_id):
        return True
    if not user.has_role(role) or not user.department_id:
        return False
    if role == Role.CLERK:
        return obj.department_id == user.department_id and clerk_reaches_division(
            user, getattr(obj, "division_id", None)
        )
    if role == Role.DEPARTMENT_REVIEWER:
        return obj.department_id == user.department_id
    if role in REGION_ROLES:
        return obj.region_id == user.department.region_id
    return False


def has_workspace_role(user, role) -> Decision:
    if not signed_in(user):
        return deny(_("请先登录。"))
    if user.is_superuser or acts_as(user, role):
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


def can_create_in(user, department, *, division_id=None) -> Decision:
    """Creating an item in `department` (for `division_id`, when the item has one): a
    clerk of the department, within their division (clerk_reaches_division)."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if not user.has_role(Role.CLERK) or user.department_id != department.id:
        return deny(_("只有本部门的经办人可以新增事项。"))
    if not clerk_reaches_division(user, division_id):
        return deny(_("只能为本处(科、室)的事项新增或编制内容。"))
    return allow(Role.CLERK)


# --- User administration (docs/administration.md) ---------------------------------
# Who administers: a superuser everything; a 系统管理员 (Role.ADMINISTRATOR) the users of
# departments in the region of their own department and the regions below; a 部门管理员
# (the guardian grant 'administer_department_users' on their own department) that
# department's clerks, and only the clerk role.

# The role a department administrator acts in (a per-department grant, not a Role).
DEPARTMENT_ADMINISTRATOR = "department_administrator"


def administered_department_id(user):
    """The department whose clerks `user` manages as 部门管理员, or None. The grant counts
    only on the user's own department: moved elsewhere, they lose it."""
    if user.department_id and user.department_id in administered_department_ids(user):
        return user.department_id
    return None


def can_administer_users(user) -> Decision:
    """May `user` open the user administration pages at all (and in which capacity)?"""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if user.is_superuser:
        return allow(Role.ADMINISTRATOR)
    if user.has_role(Role.ADMINISTRATOR):
        if not user.department_id:
            return deny(_("您的账号未分配部门,无法确定您管理的区划。"))
        return allow(Role.ADMINISTRATOR)
    if administered_department_id(user):
        return allow(DEPARTMENT_ADMINISTRATOR)
    return deny(_("用户管理仅供系统管理员和部门管理员使用,您的账号不是其中之一。"))


def can_administer_department(user, department) -> Decision:
    """May `user` create and manage users in `department`? A region's administrator: the
    department lies in their region or below; a department administrator: their own."""
    decision = can_administer_users(user)
    if not decision or user.is_superuser:
        return decision
    if decision.role == Role.ADMINISTRATOR:
        if department.region.path.startswith(user.department.region.path):
            return decision
        return deny(_("部门“%(department)s”不在您管理的区划内。") % {"department": department})
    if department.pk == user.department_id:
        return decision
    return deny(_("部门管理员只能管理本部门的用户。"))


def can_manage_user(actor, target) -> Decision:
    """May `actor` edit `target`, reset the password, or change roles and grants?"""
    decision = can_administer_users(actor)
    if not decision:
        return decision
    if target.is_superuser and not actor.is_superuser:
        return deny(_("超级管理员账号只能由超级管理员管理。"))
    if actor.is_superuser:
        return decision
    if not target.department_id:
        return deny(_("该用户未分配部门,只能由超级管理员管理。"))
    in_department = can_administer_department(actor, target.department)
    if not in_department:
        return in_department
    if decision.role == DEPARTMENT_ADMINISTRATOR and target.pk != actor.pk:
        others = target.role_set() - {Role.CLERK}
        if others or administered_department_ids(target):
            return deny(_("部门管理员只能管理本部门的经办人;该用户担任其他角色或也是部门管理员,请联系系统管理员。"))
    return decision


def can_deactivate_user(actor, target) -> Decision:
    if actor.pk == target.pk:
        return deny(_("不能停用自己的账号。"))
    return can_manage_user(actor, target)


def grantable_roles(user) -> frozenset:
    """The roles `user` may grant at all (can_change_role decides for one account)."""
    decision = can_administer_users(user)
    if not decision:
        return frozenset()
    return frozenset({Role.CLERK}) if decision.role == DEPARTMENT_ADMINISTRATOR else frozenset(Role)


def can_change_role(actor, target, role) -> Decision:
    """May `actor` grant `role` to `target`, or revoke it? A role's scope then follows
    the target's department (role_in_scope)."""
    decision = can_manage_user(actor, target)
    if not decision:
        return decision
    if decision.role == DEPARTMENT_ADMINISTRATOR and role != Role.CLERK:
        return deny(
            _("部门管理员只能授予或收回“经办人”角色;“%(role)s”由系统管理员授予。") % {"role": Role(role).label}
        )
    if role == Role.ADMINISTRATOR and actor.pk == target.pk:
        return deny(_("不能更改自己的系统管理员角色。"))
    return decision


def can_grant_on_department(actor, *, target, department, codename) -> Decision:
    """May `actor` give `target` a per-department grant (a stand-in for the department's
    reviewer, or department administrator), or take it back? Region administrators only;
    a department administrator must belong to the department."""
    decision = can_manage_user(actor, target)
    if not decision:
        return decision
    if decision.role == DEPARTMENT_ADMINISTRATOR:
        return deny(_("代行审核人和部门管理员由系统管理员指定。"))
    in_scope = can_administer_department(actor, department)
    if not in_scope:
        return in_scope
    if codename == DEPARTMENT_ADMINISTRATOR_PERMISSION and target.department_id != department.pk:
        return deny(_("部门管理员必须是该部门的用户。"))
    return decision
