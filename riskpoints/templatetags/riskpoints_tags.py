from django import template

from riskpoints.selectors import expert_assignments

register = template.Library()


@register.inclusion_tag("riskpoints/includes/expert_queue.html")
def expert_queue(user):
    """The risk points assigned to `user` as expert, open ones first (one query)."""
    return {"assignments": list(expert_assignments(user=user)[:100])}
