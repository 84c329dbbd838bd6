from powerlist.review.engine import review_approve, review_submit
from riskpoints.services import riskpoint_assign_experts, riskpoint_record_opinion


def confirm_riskpoint(org, riskpoint, expert=None):
    """Walk a draft point (with a measure) through the chain with the org fixture's users."""
    riskpoint = review_submit(user=org.clerk, obj=riskpoint)
    riskpoint = review_approve(user=org.dept_reviewer, obj=riskpoint)
    expert = expert or org.expert
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=riskpoint, experts=[expert])
    riskpoint_record_opinion(user=expert, riskpoint=riskpoint, verdict="agree")
    return review_approve(user=org.office_reviewer, obj=riskpoint)
