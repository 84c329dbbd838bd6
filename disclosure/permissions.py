"""Who may publish, file the register and retract: pure predicates returning a
Decision with the reason when refused. Scope is the shared predicate
powerlist.org.permissions.role_in_scope."""

from types import SimpleNamespace

from django.utils.translation import gettext as _

from powerlist.org.permissions import Decision, acts_as, allow, can_create_in, deny, role_in_scope, signed_in
from powerlist.org.roles import Role

from disclosure.register import RegisterState


def _department_scope(department):
    """A department as the scope predicate reads items (department_id, region_id)."""
    return SimpleNamespace(department_id=department.pk, region_id=department.region_id)


def can_publish(user, department) -> Decision:
    """A department reviewer of `department` (or its stand-in) publishes its confirmed items."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if role_in_scope(user, Role.DEPARTMENT_REVIEWER, _department_scope(department)):
        return allow(Role.DEPARTMENT_REVIEWER)
    if not acts_as(user, Role.DEPARTMENT_REVIEWER):
        return deny(_("只有部门审核人可以发布公开。"))
    return deny(_("只能发布本部门的公开目录。"))


def can_file_for(user, power) -> Decision:
    """A clerk of the power's department (within their division) files a non-disclosure entry."""
    decision = can_create_in(user, power.department, division_id=power.division_id)
    if not decision:
        return deny(_("只有该事项所属部门(处室)的经办人可以登记不予公开。"))
    return decision


def can_file_note(user, department) -> Decision:
    """A clerk of `department` files an adjustment note."""
    return can_create_in(user, department)


def can_file_in_own_department(user) -> Decision:
    """The user may open the register's "new entry" and "new note" pages: a clerk of
    their own department (which entry, for which power, the services check again)."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if not user.department_id:
        return deny(_("您的账号未分配部门。"))
    return can_file_note(user, user.department)


EDITABLE_STATES = (RegisterState.DRAFT, RegisterState.RETURNED)


def can_edit_filed(user, obj) -> Decision:
    """A register entry or note is edited by a clerk in scope while a draft or returned."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if not role_in_scope(user, Role.CLERK, obj):
        return deny(_("只有本部门(处室)的经办人可以修改。"))
    if obj.state not in EDITABLE_STATES:
        return deny(_("处于“%(state)s”状态,不能修改。") % {"state": obj.get_state_display()})
    return allow(Role.CLERK)


def can_retract(user, power) -> Decision:
    """The leading-group office of the power's region retracts a power published in error."""
    if not signed_in(user):
        return deny(_("请先登录。"))
    if role_in_scope(user, Role.OFFICE_REVIEWER, power):
        return allow(Role.OFFICE_REVIEWER)
    if not acts_as(user, Role.OFFICE_REVIEWER):
        return deny(_("只有领导小组办公室审核人可以撤回错误公开的事项。"))
    return deny(_("该事项不在您的管辖范围内(本级本区划)。"))
