"""The panels riskpoints adds to powerlist's pages (registered in RiskpointsConfig.ready)."""

from riskpoints.selectors import expert_assignments

EXPERT_QUEUE_LIMIT = 100


def power_panel_context(*, user, power):
    """The power page links to the power's risk points, countermeasures and benchmarks."""
    return {}


def expert_panel_context(*, user, role):
    """The risk points assigned to the expert, open ones first (one query)."""
    return {"assignments": list(expert_assignments(user=user)[:EXPERT_QUEUE_LIMIT])}
