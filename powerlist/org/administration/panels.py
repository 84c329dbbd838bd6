"""The entrances to user administration: a panel on the workspace overview for a
department administrator, and the 系统管理 page's section for a 系统管理员 — each shown
only when can_administer_users (the predicate the administration pages ask) allows.
Registered in PowerlistConfig.ready."""

from powerlist.org.permissions import DEPARTMENT_ADMINISTRATOR, can_administer_users
from powerlist.org.roles import Role
from powerlist.workspace.panels import register_role_panel, register_workspace_panel


def department_administration_panel(*, user):
    decision = can_administer_users(user)
    if not decision or decision.role != DEPARTMENT_ADMINISTRATOR:
        return None
    return {"department": user.department}


def system_administration_panel(*, user, role):
    """The 系统管理 page's links; the Django admin site only for staff accounts."""
    decision = can_administer_users(user)
    if not decision or decision.role != Role.ADMINISTRATOR:
        return None
    return {"admin_site": user.is_staff}


def register_administration_panels():
    register_workspace_panel("department-administration", template="powerlist/org/workspace_panel.html",
                             context=department_administration_panel, order=50)
    register_role_panel("system-administration", roles=[Role.ADMINISTRATOR],
                        template="powerlist/org/administration_panel.html", context=system_administration_panel,
                        order=50)
