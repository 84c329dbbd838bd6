"""Who may read the assessment, set its weights and export it (the public reads only
published results, without an account)."""

from django.utils.translation import gettext as _

from powerlist.org.permissions import Decision, allow, deny, signed_in
from powerlist.org.roles import Role
from supervision.permissions import sees_everything

READERS = (Role.OFFICE_REVIEWER, Role.SUPERVISOR)


def can_view_assessment(user, region) -> Decision:
    """A region's assessment: its office reviewers and supervisors, and those of the
    regions above it; administrators."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if sees_everything(user):
        return allow()
    if user.department_id and any(user.has_role(r) for r in READERS):
        if region.path.startswith(user.department.region.path):
            return allow()
        return deny(_("该地区不在您的管辖范围内。"))
    return deny(_("绩效考核结果仅供领导小组办公室和纪检监察人员查看。"))


def can_view_department_assessment(user, department) -> Decision:
    """One department's results: the readers of its region, and its own reviewers."""
    if signed_in(user) and user.department_id == department.pk and user.has_role(Role.DEPARTMENT_REVIEWER):
        return allow()
    return can_view_assessment(user, department.region)


def can_set_weights(user, region) -> Decision:
    """Weights and grade thresholds, and computing the results on demand: the region's
    own office (领导小组办公室审核人 of that region) or an administrator."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if sees_everything(user):
        return allow()
    if user.department_id and user.has_role(Role.OFFICE_REVIEWER):
        if user.department.region_id == region.pk:
            return allow(Role.OFFICE_REVIEWER)
        return deny(_("只能设置本级本地区的考核权重。"))
    return deny(_("考核权重由本地区领导小组办公室设置。"))
