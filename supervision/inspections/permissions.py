"""Who may plan inspections, record findings and accountability, and read them.

Reads follow the cases' scopes (supervision.permissions): the inspected department's
clerks and reviewers, the supervisors of its region and of every region above it,
administrators. Writes belong to the supervisors of the department's own region (the
flow engine's region scope for SUPERVISOR is the same rule)."""

from django.utils.translation import gettext as _

from powerlist.models import Department
from powerlist.org.permissions import Decision, allow, deny, signed_in
from powerlist.org.roles import Role
from supervision.permissions import handles_department, region_covers, sees_everything, supervised_region


def can_view_supervised(user, obj) -> Decision:
    """Reading a plan, finding, rectification or accountability record (refusals are 404s)."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if sees_everything(user):
        return allow()
    if handles_department(user) and obj.department_id == user.department_id:
        return allow()
    if region_covers(supervised_region(user), obj.region.path):
        return allow()
    return deny(_("该记录不在您的监察范围内。"))


def _supervisor_of(user, region_id) -> Decision:
    if not signed_in(user):
        return deny(_("请先登录。"))
    if not user.has_role(Role.SUPERVISOR) or not user.department_id:
        return deny(_("此操作需要“%(role)s”角色。") % {"role": Role.SUPERVISOR.label})
    if user.department.region_id != region_id:
        return deny(_("只能由被检查部门所在行政区划的纪检监察人员办理。"))
    return allow(Role.SUPERVISOR)


def can_plan_inspection(user, department=None) -> Decision:
    """Planning an inspection of `department` (None: may the user plan at all)."""
    if department is None:
        if signed_in(user) and user.has_role(Role.SUPERVISOR) and user.department_id:
            return allow(Role.SUPERVISOR)
        return deny(_("检查计划由“%(role)s”制定。") % {"role": Role.SUPERVISOR.label})
    if department.kind != Department.Kind.ORDINARY:
        return deny(_("只能检查职能部门。"))
    return _supervisor_of(user, department.region_id)


def can_record_finding(user, plan) -> Decision:
    """Recording findings, rectification requirements and accountability under `plan`."""
    return _supervisor_of(user, plan.region_id)


def can_view_coverage(user) -> Decision:
    """The coverage of fired risk points: supervisors, office reviewers, administrators
    and the departments' clerks and reviewers (each sees their own scope)."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if sees_everything(user) or supervised_region(user) is not None or handles_department(user):
        return allow()
    if user.department_id and user.has_role(Role.OFFICE_REVIEWER):
        return allow()
    return deny(_("您没有查看风险点触发情况的权限。"))
