"""The workspace queues: what waits for a user acting in a role, for every kind of item
that travels a flow (powers, flowcharts, risk points, and whatever the apps above
register), with the counts on the workspace cards and the batch buttons — all read
from each kind's flow (powerlist.review.selectors.flow_queue_q)."""

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count

from powerlist.review.contract import registered_contracts
from powerlist.review.flow import Buttons
from powerlist.review.selectors import NOTHING, flow_queue_q


def batch_actions(flow, role) -> Buttons:
    """The batch buttons of `role` for `flow`, with the comment rule of each."""
    return Buttons(
        flow.button(action, [t for t in flow.transitions if t.action == action and role in t.roles])
        for action in flow.batch_actions(role)
    )


def is_own_work(flow, role) -> bool:
    """Whether `role`'s queue in `flow` is its own work (drafts and returned items: the
    flow waits for the role in its first state) rather than items to review."""
    return any(state == flow.initial for state, _slot in flow.waiting_for(role))


@dataclass
class Queue:
    """One kind's queue for one role."""

    contract: object
    role: str
    items: list
    total: int
    actions: list

    @property
    def label(self):
        return self.contract.model._meta.verbose_name

    @property
    def model_label(self):
        return self.contract.model._meta.label_lower



def queue_queryset(contract, *, user, role, filters=None):
    """Items of the contract's kind waiting for `user` as `role`, oldest submission
    first; filters: department, category (ids; applied where the kind has the field)."""
    qs = contract.queue_queryset().filter(flow_queue_q(user, role, model=contract.model))
    for name in ("department", "category"):
        if (filters or {}).get(name) and contract.has_field(name):
            qs = qs.filter(**{f"{name}_id": filters[name]})
    return qs.order_by(*contract.queue_ordering)


def workspace_contracts():
    return [contract for contract in registered_contracts() if contract.on_workspace]


def flow_queues(*, user, role, filters=None, limit=50) -> list:
    """Every kind's queue for `role` that the flow knows (two queries a kind)."""
    queues = []
    for contract in workspace_contracts():
        if not contract.flow.waiting_for(role):
            continue
        qs = queue_queryset(contract, user=user, role=role, filters=filters)
        queues.append(Queue(contract=contract, role=role, items=list(qs[:limit]), total=qs.count(),
                            actions=batch_actions(contract.flow, role)))
    return queues


def queue_counts(*, user, roles) -> dict:
    """{role: number of items of every kind waiting for the user}, one aggregate query
    per kind (the WHERE clause, any of the queues, lets the state indexes narrow it).
    Roles no flow waits for are left out (they have no queue, not an empty one)."""
    totals = {role: 0 for role in roles
              if any(contract.flow.waiting_for(role) for contract in workspace_contracts())}
    for contract in workspace_contracts():
        queues = {role: flow_queue_q(user, role, model=contract.model) for role in roles}
        queues = {role: q for role, q in queues.items() if q != NOTHING}
        if not queues:
            continue
        counts = contract.model.objects.filter(reduce(operator.or_, queues.values())).aggregate(
            **{f"n_{role}": Count("id", filter=q) for role, q in queues.items()}
        )
        for role in queues:
            totals[role] += counts[f"n_{role}"]
    return totals
