"""Who may do what in supervision: pure predicates returning a Decision with the reason."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from powerlist.roles import Role


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


def can_manage_calendar(user) -> Decision:
    """Entering and editing the working-day calendar: system administrators only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Decision(False, _("请先登录。"))
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return Decision(True)
    return Decision(
        False, _("工作日日历只能由“%(role)s”录入和修改,您的账号没有该角色。") % {"role": Role.ADMINISTRATOR.label}
    )
