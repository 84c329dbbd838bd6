"""The supervisor's workspace panel (registered in SupervisionConfig.ready)."""

from supervision.permissions import can_view_board
from supervision.selectors.cases import overdue_today


def overdue_panel_context(*, user, role):
    """What is overdue today in the supervisor's scope; None for a user without the board."""
    if not can_view_board(user):
        return None
    return overdue_today(user=user)
