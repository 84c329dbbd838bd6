"""The workspace queues: what waits for a user acting in a role, per reviewed kind,
and the counts on the workspace cards (the rule of each queue is
powerlist.review.selectors.review_queue_q)."""

import operator
from functools import reduce

from django.db.models import Count

from powerlist.catalogue.models import Power
from powerlist.catalogue.selectors import power_list_queryset
from powerlist.flowcharts.selectors import flowchart_queryset
from powerlist.review.selectors import review_queue_q


def power_review_queue(*, user, role, filters=None):
    filters = filters or {}
    qs = power_list_queryset().filter(review_queue_q(user, role))
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    return qs.order_by("submitted_at", "id")


def power_queue_counts(*, user, roles):
    """{role: count} of powers waiting for the user, one aggregate query."""
    queues = {role: review_queue_q(user, role) for role in roles}
    if not queues:
        return {}
    # The WHERE clause (any of the queues) lets the state indexes narrow the scan.
    return Power.objects.filter(reduce(operator.or_, queues.values())).aggregate(
        **{role: Count("id", filter=q) for role, q in queues.items()}
    )


def flowchart_review_queue(user, role):
    """Flowcharts waiting for `user` acting as `role` (the same queue rules as powers)."""
    return flowchart_queryset().filter(review_queue_q(user, role)).order_by("submitted_at", "id")


def flowchart_queue_context(user, role, *, limit=50):
    """Template context for the workspace's flowchart queue (two queries)."""
    queue = flowchart_review_queue(user, role)
    return {"flowchart_queue": list(queue[:limit]), "flowchart_queue_total": queue.count()}
