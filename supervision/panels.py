"""The supervisor's workspace panel (registered in SupervisionConfig.ready)."""

from supervision.permissions import can_view_board
from supervision.selectors.cases import open_alerts_to_explain, overdue_today


def overdue_panel_context(*, user, role):
    """What is overdue today in the supervisor's scope; None for a user without the board."""
    if not can_view_board(user):
        return None
    return overdue_today(user=user)


def department_alerts_panel_context(*, user, role):
    """The clerk's and department reviewer's panel: the department's alerts waiting for
    an explanation; None when there are none (the page stays as it was)."""
    waiting = open_alerts_to_explain(user=user)
    return {"count": waiting} if waiting else None
