"""Who may do what in supervision: pure predicates returning a Decision with the reason."""

from django.utils.translation import gettext as _

from powerlist.org.permissions import Decision, allow, deny, signed_in
from powerlist.org.roles import Role

def can_manage_calendar(user) -> Decision:
    """Entering and editing the working-day calendar: system administrators only."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return allow()
    return deny(
        _("工作日日历只能由“%(role)s”录入和修改,您的账号没有该角色。") % {"role": Role.ADMINISTRATOR.label}
    )


# --- E-supervision of cases ----------------------------------------------------------
# Scopes: the handling department's clerks and reviewers see their department's cases
# and alerts; a supervisor sees the region of their office and every region below it
# (Region.path prefix), never a region above or beside; administrators see everything.
# supervision.selectors.cases applies the same rules as SQL filters.

DEPARTMENT_CASE_ROLES = (Role.CLERK, Role.DEPARTMENT_REVIEWER)


def sees_everything(user) -> bool:
    return signed_in(user) and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))


def supervised_region(user):
    """The region whose subtree `user` supervises, or None."""
    if not signed_in(user) or not user.department_id or not user.has_role(Role.SUPERVISOR):
        return None
    return user.department.region


def handles_department(user) -> bool:
    """The user works on their department's cases (clerk or department reviewer)."""
    return signed_in(user) and bool(user.department_id) and any(user.has_role(r) for r in DEPARTMENT_CASE_ROLES)


def region_covers(region, path: str) -> bool:
    return region is not None and path.startswith(region.path)


def can_view_case(user, case) -> Decision:
    """Reading a case, its clocks and its alerts (refused reads are 404s)."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if sees_everything(user):
        return allow()
    if handles_department(user) and case.department_id == user.department_id:
        return allow()
    if region_covers(supervised_region(user), case.region.path):
        return allow()
    return deny(_("该办件不在您的监察范围内。"))


def can_see_applicant(user, case) -> Decision:
    """The applicant's name, ID and phone unmasked: the handling department only."""
    if signed_in(user) and user.department_id and user.department_id == case.department_id:
        return allow()
    return deny(_("申请人信息仅对承办部门显示。"))


def can_record_case(user) -> Decision:
    """Recording a case by hand: a clerk, for their own department."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if user.has_role(Role.CLERK) and user.department_id:
        return allow()
    return deny(_("只有“%(role)s”可以手工登记办件。") % {"role": Role.CLERK.label})


def can_add_case_event(user, case) -> Decision:
    """Adding an event to a case by hand: a clerk of the handling department."""
    decision = can_record_case(user)
    if not decision:
        return decision
    if user.department_id != case.department_id:
        return deny(_("只有承办部门的经办人可以补录办件事件。"))
    return allow()


def can_view_board(user) -> Decision:
    """The supervisors' board: supervisors (their region and below) and administrators."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if sees_everything(user) or supervised_region(user) is not None:
        return allow()
    return deny(_("监察看板仅供“%(role)s”使用,您的账号没有该角色。") % {"role": Role.SUPERVISOR.label})


def can_view_cases(user) -> Decision:
    """The case list: the board's users and the departments' clerks and reviewers."""
    if can_view_board(user) or handles_department(user):
        return allow()
    return deny(_("您没有查看办件的权限。"))
