"""Reads of the flow engine: what waits for a role (as a Q any flow item's model can
filter by), read from the flow's table."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.http import Http404

from powerlist.org.roles import REGION_ROLES, Role
from powerlist.org.selectors import NOTHING, clerk_division_q, stand_in_q
from powerlist.review.contract import contract_for
from powerlist.review.models import FlowItem


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def role_scope_q(user, role, *, model) -> Q:
    """The items of `model` that `role`, held by `user`, acts on: the SQL twin of
    powerlist.org.permissions.role_in_scope (tests compare the two)."""
    stand_in = stand_in_q(user) if role == Role.DEPARTMENT_REVIEWER else NOTHING
    if not user.department_id or not user.has_role(role):
        return stand_in
    if role == Role.DEPARTMENT_REVIEWER:
        return Q(department_id=user.department_id) | stand_in
    if role == Role.CLERK:
        q = Q(department_id=user.department_id)
        return q & clerk_division_q(user) if _has_field(model, "division") else q
    if role in REGION_ROLES:
        return Q(region_id=user.department.region_id)
    return NOTHING


def flow_queue_q(user, role, *, model) -> Q:
    """What waits for `user` acting as `role` among `model`'s items ("waiting for me"):
    the states where the flow waits for the role (a confirmation slot the role fills
    counts only while it is empty), inside the role's scope."""
    flow = model.flow
    waiting = NOTHING
    for state, slot in flow.waiting_for(role):
        q = Q(state=state)
        if slot:
            q &= Q(**{f"{flow.confirmations[slot]}__isnull": True})
        waiting |= q
    if waiting == NOTHING:
        return NOTHING
    return waiting & role_scope_q(user, role, model=model)


def flow_model(label):
    """The FlowItem model named by its label ("powerlist.power"), else Http404."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not issubclass(model, FlowItem):
        raise Http404
    return model


def flow_item_readable(model, *, user, pk):
    """The item, or Http404 when it does not exist or the user may not read it: the
    same answer for both, so no page or endpoint is an oracle."""
    obj = model.objects.filter(pk=pk).select_related("region", "department").first()
    if obj is None or not contract_for(model).can_view(user, obj):
        raise Http404
    return obj
