"""The workspace overview's entrance to user administration for a department
administrator (a 系统管理员 has the 系统管理 page). Registered in PowerlistConfig.ready."""

from powerlist.org.permissions import DEPARTMENT_ADMINISTRATOR, can_administer_users
from powerlist.workspace.panels import register_workspace_panel


def department_administration_panel(*, user):
    decision = can_administer_users(user)
    if not decision or decision.role != DEPARTMENT_ADMINISTRATOR:
        return None
    return {"department": user.department}


def register_administration_panels():
    register_workspace_panel("department-administration", template="powerlist/org/workspace_panel.html",
                             context=department_administration_panel, order=50)
