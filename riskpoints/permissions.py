"""Who may do what with risk points, countermeasures, expert reviews and benchmarks.

Predicates return powerlist.org.permissions.Decision (truthy, or falsy with the reason).
They build on the shared predicates: reading follows the power list's scopes plus
the experts' own grants; editing is a clerk in scope while the point is a draft.
"""

from django.utils.translation import gettext as _

from powerlist.models import Department, ReviewState
from powerlist.org.permissions import Decision, acts_as, allow, can_edit_item, can_view_item, deny, role_in_scope
from powerlist.org.roles import Role
from riskpoints.models import RiskPoint, RiskPointUserObjectPermission

REVIEW_PERMISSION = "review_riskpoint"


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def is_assigned_expert(user, riskpoint) -> bool:
    """The user holds the django-guardian grant for this risk point (an assigned expert)."""
    if not _active(user):
        return False
    return RiskPointUserObjectPermission.objects.filter(
        user=user, content_object_id=riskpoint.pk, permission__codename=REVIEW_PERMISSION
    ).exists()


def can_view_riskpoint(user, riskpoint) -> Decision:
    decision = can_view_item(user, riskpoint)
    if decision:
        return decision
    if is_assigned_expert(user, riskpoint):
        return allow(Role.EXPERT)
    if _active(user) and user.has_role(Role.EXPERT):
        return deny(_("专家只能查看办公室分配给您评审的风险点,该风险点未分配给您。"))
    return decision


def can_create_riskpoint(user, power) -> Decision:
    if not _active(user):
        return deny(_("请先登录。"))
    if not role_in_scope(user, Role.CLERK, power):
        return deny(_("只有该事项所属部门(处室)的经办人可以登记廉政风险点。"))
    return allow(Role.CLERK)


def can_edit_riskpoint(user, riskpoint) -> Decision:
    """Content and countermeasures change only in a draft, by a clerk in scope."""
    return can_edit_item(user, riskpoint)


def can_update_measure_progress(user, riskpoint) -> Decision:
    """Marking a measure as in force is progress, not content: allowed in any state."""
    if not _active(user):
        return deny(_("请先登录。"))
    if not role_in_scope(user, Role.CLERK, riskpoint):
        return deny(_("只有本部门(处室)的经办人可以更新措施落实情况。"))
    return allow(Role.CLERK)


def can_assign_experts(user, riskpoint) -> Decision:
    if not _active(user):
        return deny(_("请先登录。"))
    if not role_in_scope(user, Role.OFFICE_REVIEWER, riskpoint):
        return deny(_("只有本级领导小组办公室审核人可以组织专家评审。"))
    if riskpoint.state != ReviewState.OFFICE_REVIEW:
        return deny(_("只有处于“领导小组办公室审核中”的风险点可以分配专家。"))
    return allow(Role.OFFICE_REVIEWER)


def can_be_expert_for(user, riskpoint) -> Decision:
    """Experts: users with the expert role at this level or above; member-unit leaders:
    department reviewers of another ordinary department of the same region (never the
    department whose point it is)."""
    if not user.is_active:
        return deny(_("账号已停用。"))
    if not user.department_id:
        return deny(_("该用户未分配单位。"))
    region = user.department.region
    if user.has_role(Role.EXPERT) and riskpoint.region.path.startswith(region.path):
        return allow(Role.EXPERT)
    if (
        user.has_role(Role.DEPARTMENT_REVIEWER)
        and region.pk == riskpoint.region_id
        and user.department_id != riskpoint.department_id
        and user.department.kind == Department.Kind.ORDINARY
    ):
        return allow(Role.DEPARTMENT_REVIEWER)
    return deny(_("%(user)s 不是本级专家或成员单位负责人,不能分配评审。") % {"user": user})


def can_record_opinion(user, riskpoint, assignment) -> Decision:
    if not _active(user):
        return deny(_("请先登录。"))
    if assignment is None:
        return deny(_("该风险点未分配给您评审。"))
    if riskpoint.state != ReviewState.OFFICE_REVIEW or assignment.round_version != riskpoint.version:
        return deny(_("本轮评审已结束,不能再提出意见。"))
    return allow(Role.EXPERT)


def can_view_coverage(user) -> Decision:
    """Department roles see their department's coverage; office roles their region's."""
    if not _active(user):
        return deny(_("请先登录。"))
    if user.is_superuser or any(
        user.has_role(r) for r in (Role.CLERK, Role.DEPARTMENT_REVIEWER, Role.OFFICE_REVIEWER, Role.SUPERVISOR)
    ):
        if not user.department_id:
            return deny(_("您的账号未分配部门。"))
        return allow()
    return deny(_("风险防控覆盖情况仅供部门和领导小组办公室查看。"))


def coverage_scope(user):
    """("region", region) for office roles, ("department", department) for department roles."""
    if user.has_role(Role.OFFICE_REVIEWER) or user.has_role(Role.SUPERVISOR) or user.is_superuser:
        return "region", user.department.region
    return "department", user.department


def can_edit_grading_rule(user, region) -> Decision:
    if not _active(user):
        return deny(_("请先登录。"))
    if not user.has_role(Role.OFFICE_REVIEWER) or not user.department_id or user.department.region_id != region.pk:
        return deny(_("只有本级领导小组办公室审核人可以设置风险等级评定规则。"))
    return allow(Role.OFFICE_REVIEWER)


def can_edit_benchmark(user, power) -> Decision:
    if not _active(user):
        return deny(_("请先登录。"))
    if not role_in_scope(user, Role.CLERK, power):
        return deny(_("只有该事项所属部门(处室)的经办人可以编制自由裁量基准。"))
    return allow(Role.CLERK)


def can_view_benchmark(user, benchmark) -> Decision:
    return can_view_item(user, benchmark.power)


def queue_roles(user) -> list:
    """The roles whose risk-point queue the user has: those the risk point's flow waits
    for, held by assignment or as a stand-in."""
    if not _active(user):
        return []
    return [role for role in Role if RiskPoint.flow.waiting_for(role) and acts_as(user, role)]


def can_open_queue(user) -> Decision:
    if queue_roles(user):
        return allow()
    return deny(_("待办页面仅供经办人、部门审核人和领导小组办公室审核人使用。"))


def can_import_riskpoints(user) -> Decision:
    if not _active(user):
        return deny(_("请先登录。"))
    if not user.has_role(Role.CLERK) or not user.department_id:
        return deny(_("只有部门经办人可以导入廉政风险点。"))
    return allow(Role.CLERK)
