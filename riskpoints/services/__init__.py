"""Every write of the risk-point app (one module per topic, re-exported here)."""

from .benchmarks import benchmark_create, benchmark_update, benchmark_validate
from .experts import riskpoint_assign_experts, riskpoint_record_opinion
from .grading import grading_rule_for, grading_rule_update, riskpoint_suggest_level
from .riskpoints import (
    attachment_validate,
    countermeasure_create,
    countermeasure_delete,
    countermeasure_mark_in_force,
    countermeasure_update,
    riskpoint_create,
    riskpoint_delete,
    riskpoint_diff,
    riskpoint_on_confirmed,
    riskpoint_review_precheck,
    riskpoint_snapshot,
    riskpoint_update,
    riskpoints_flag_for_regrading,
    riskpoints_flag_fired,
)

__all__ = [
    "attachment_validate",
    "benchmark_create",
    "benchmark_update",
    "benchmark_validate",
    "countermeasure_create",
    "countermeasure_delete",
    "countermeasure_mark_in_force",
    "countermeasure_update",
    "grading_rule_for",
    "grading_rule_update",
    "riskpoint_assign_experts",
    "riskpoint_create",
    "riskpoint_delete",
    "riskpoint_diff",
    "riskpoint_on_confirmed",
    "riskpoint_record_opinion",
    "riskpoint_review_precheck",
    "riskpoint_snapshot",
    "riskpoint_suggest_level",
    "riskpoint_update",
    "riskpoints_flag_for_regrading",
    "riskpoints_flag_fired",
]
