"""Who may see what of a complaint: pure predicates returning a Decision with the reason.

- The supervisors (纪检监察) of the complaint's region handle it and see it whole; a
  supervisor of a region above reads it (oversight) but does not act (the flow's
  scope, powerlist.org.permissions.role_in_scope, is the region itself).
- Only the handling supervisors (the complaint's own region) see the identity.
- The department complained about (its clerks and reviewers) sees a redacted copy once
  the complaint has been assigned: no identity, no attachments, the content masked.
- The complainant, proved by tracking code and phrase (supervision.complaints.principal),
  sees their own complaint's public timeline.
supervision.complaints.selectors applies the same rules as SQL filters.
"""

from django.utils.translation import gettext as _

from powerlist.org.permissions import Decision, allow, deny, role_in_scope, signed_in
from powerlist.org.roles import Role
from supervision.complaints.flow import COMPLAINANT, ComplaintState
from supervision.permissions import handles_department, region_covers, sees_everything, supervised_region

# States in which the department has been given its redacted copy.
DEPARTMENT_COPY_STATES = (ComplaintState.ASSIGNED, ComplaintState.HANDLED, ComplaintState.REPLIED,
                          ComplaintState.CLOSED)


def is_complainant(user) -> bool:
    return getattr(user, "principal_reaches", None) is not None


def can_view_complaint(user, complaint) -> Decision:
    """Reading a complaint at all (refused reads are 404s)."""
    if is_complainant(user):
        if user.principal_reaches(COMPLAINANT, complaint):
            return allow(COMPLAINANT)
        return deny(_("查询码或查询密语不正确。"))
    if not signed_in(user):
        return deny(_("请先登录。"))
    if sees_full_complaint(user, complaint) or sees_department_copy(user, complaint):
        return allow()
    return deny(_("该投诉不在您的监察范围内。"))


def sees_full_complaint(user, complaint) -> bool:
    """The supervisors of the complaint's region or above, and administrators."""
    if is_complainant(user) or not signed_in(user):
        return False
    return sees_everything(user) or region_covers(supervised_region(user), complaint.region.path)


def sees_department_copy(user, complaint) -> bool:
    """The department complained about, once the complaint was assigned (redacted copy)."""
    if is_complainant(user) or not handles_department(user):
        return False
    return complaint.department_id == user.department_id and complaint.state in DEPARTMENT_COPY_STATES


def can_view_identity(user, complaint) -> Decision:
    """The complainant's identity: the supervisors who handle the complaint (its own
    region) and nobody else, administrators included."""
    if is_complainant(user) or not signed_in(user):
        return deny(_("请先登录。"))
    if complaint.is_anonymous:
        return deny(_("这是匿名投诉,没有登记身份信息。"))
    if complaint.identity_erased_at is not None:
        return deny(_("投诉人身份信息已按保留期限删除。"))
    if not role_in_scope(user, Role.SUPERVISOR, complaint):
        return deny(_("只有承办该投诉的纪检监察人员可以查看投诉人身份信息。"))
    return allow(Role.SUPERVISOR)


def can_open_attachments(user, complaint) -> Decision:
    """Attachments may name the complainant: the handling supervisors only, like the identity."""
    if is_complainant(user) or not signed_in(user):
        return deny(_("请先登录。"))
    if not role_in_scope(user, Role.SUPERVISOR, complaint):
        return deny(_("只有承办该投诉的纪检监察人员可以查看附件。"))
    return allow(Role.SUPERVISOR)
