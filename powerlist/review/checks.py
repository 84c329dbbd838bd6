"""Start-up check: every model that travels a flow keeps the contract the engine relies on."""

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured

from powerlist.review.contract import contract_for, hook_is_provided
from powerlist.review.engine import EFFECTS
from powerlist.review.flow import Flow
from powerlist.review.models import FlowItem


def flow_item_errors(model, contract):
    """What is wrong with `model` travelling its flow under `contract` (a list of
    checks.Error; empty when the engine can run it)."""
    label = model._meta.label
    flow = getattr(model, "flow", None)
    if not isinstance(flow, Flow):
        return [checks.Error(f"{label} travels a flow but declares none (flow = <Flow>).", obj=model,
                             id="powerlist.E101")]
    errors = []
    state = model._meta.get_field("state")
    if state.choices and set(flow.states.values) - {value for value, _label in state.choices}:
        errors.append(checks.Error(f"{label}.state lacks states of flow {flow.name}.", obj=model,
                                   id="powerlist.E103"))
    if state.default != flow.initial:
        errors.append(checks.Error(f"{label}.state starts at {state.default!r}, flow {flow.name} at "
                                   f"{flow.initial!r}.", obj=model, id="powerlist.E104"))
    needed_fields = list(flow.confirmations.values())
    for name in sorted(flow.effects()):
        effect = EFFECTS.get(name)
        if effect is None:
            errors.append(checks.Error(f"Flow {flow.name} names unknown effect {name!r}.", obj=model,
                                       id="powerlist.E105"))
            continue
        needed_fields += list(effect.fields)
        if effect.hook and not hook_is_provided(contract, effect.hook):
            errors.append(checks.Error(f"{type(contract).__name__} must provide {effect.hook}() for effect "
                                       f"{name!r} of flow {flow.name}.", obj=model, id="powerlist.E106"))
    if not hook_is_provided(contract, "can_view"):
        errors.append(checks.Error(f"{type(contract).__name__} must provide can_view().", obj=model,
                                   id="powerlist.E106"))
    for field_name in needed_fields:
        try:
            model._meta.get_field(field_name)
        except FieldDoesNotExist:
            errors.append(checks.Error(f"{label} lacks field {field_name!r} that flow {flow.name} writes.",
                                       obj=model, id="powerlist.E107"))
    return errors


def check_flow_items(app_configs=None, **kwargs):
    """Every concrete FlowItem model has a flow, a registered contract with the hooks
    its effects need, the fields they write, and a state field that matches."""
    errors = []
    for model in apps.get_models():
        if not issubclass(model, FlowItem):
            continue
        try:
            contract = contract_for(model)
        except ImproperlyConfigured:
            errors.append(checks.Error(
                f"{model._meta.label} has no registered FlowContract (register it in AppConfig.ready).",
                obj=model, id="powerlist.E102"))
            continue
        errors += flow_item_errors(model, contract)
    return errors
