"""The panels riskpoints adds to powerlist's pages (registered in RiskpointsConfig.ready)."""

from powerlist.catalogue.selectors import power_lists
from riskpoints.selectors import expert_assignments, riskpoints_for_power

EXPERT_QUEUE_LIMIT = 100


def power_panel_context(*, user, power):
    """The power page links to the power's risk points, countermeasures and benchmarks."""
    return {}


def expert_panel_context(*, user, role):
    """The risk points assigned to the expert, open ones first (one query)."""
    return {"assignments": list(expert_assignments(user=user)[:EXPERT_QUEUE_LIMIT])}


def stage_risks_panel_context(*, user, power):
    """The power's responsibility items, stage by stage, with the risk points (and their
    countermeasures) marked on the flowchart steps tied to each stage; the points on no
    such step apart. None when the power has no risk point the user may see. A
    fixed number of queries."""
    points = list(riskpoints_for_power(user=user, power=power))
    if not points:
        return None
    items = power_lists(power)["responsibility_items"]
    stages, placed = [], set()
    for item in items:
        step_ids = {step.pk for step in item.steps.all()}
        here = [p for p in points if p.step_id in step_ids]
        placed.update(p.pk for p in here)
        stages.append({"item": item, "steps": list(item.steps.all()), "points": here})
    return {"stages": [s for s in stages if s["points"]], "unplaced": [p for p in points if p.pk not in placed]}
