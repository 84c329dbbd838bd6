"""Who may publish: pure predicates returning a Decision with the reason when refused."""

from django.utils.translation import gettext as _

from powerlist.org.permissions import Decision, allow, deny, is_stand_in_reviewer, signed_in
from powerlist.org.roles import Role


def can_publish(user, department) -> Decision:
    """A department reviewer of `department` (or its stand-in) publishes its confirmed items."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if is_stand_in_reviewer(user, department.pk):
        return allow(Role.DEPARTMENT_REVIEWER)
    if not user.has_role(Role.DEPARTMENT_REVIEWER):
        return deny(_("只有部门审核人可以发布公开。"))
    if user.department_id != department.pk:
        return deny(_("只能发布本部门的公开目录。"))
    return allow(Role.DEPARTMENT_REVIEWER)
