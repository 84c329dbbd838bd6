"""What a model that travels a flow provides to the engine, and the registry of them.

A model declares its flow (`flow = SOME_FLOW`, a class attribute of a FlowItem
subclass); the app that owns the model registers one FlowContract subclass for it from
its AppConfig.ready, so models import no services. The hooks a contract must provide
follow from the flow's effects (engine.EFFECTS names them); a Django system check
(powerlist.review.checks) verifies every FlowItem model at start-up.
"""

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured

_contracts = {}


class FlowContract:
    """Base class: override the hooks your flow's effects need.

    model   the FlowItem model
    """

    model = None
    # The workspace shows the kind's queue with this row template (context: items,
    # selectable) and in this order.
    queue_template = "includes/flow_queue_table.html"
    queue_ordering = ("submitted_at", "id")
    # Whether the kind's queues show on the workspace pages and count on its cards.
    on_workspace = True

    @property
    def flow(self):
        return self.model.flow

    def queue_queryset(self):
        """The kind's items with what a queue row shows."""
        return self.model.objects.select_related("department", "region")

    def has_field(self, name):
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return True

    def precheck(self, obj, action):
        """Raise ValidationError to refuse `action` on `obj` for content reasons
        (e.g. a flowchart with an unreachable step). Runs under the row lock."""

    def snapshot(self, obj):
        """The item's content as plain data, stored with each submission (effect
        store_snapshot) so reviewers see what changed since the last one."""
        raise NotImplementedError

    def put_in_force(self, obj, user):
        """Make the confirmed content the version in force (effect put_in_force)."""
        raise NotImplementedError

    def can_view(self, user, obj):
        """A Decision: may `user` read `obj`? Refused reads are 404s."""
        raise NotImplementedError

    def describe(self, obj):
        """How the item is named in notices and the record."""
        return str(obj)

    def url(self, obj):
        return obj.get_absolute_url()

    def urls(self, objs):
        """The URLs of many items, in order (for the notices of a batch); a contract may
        compute them at once."""
        return [self.url(obj) for obj in objs]


def hook_is_provided(contract, name) -> bool:
    """Whether the contract overrides the base class's hook `name`."""
    return getattr(type(contract), name) is not getattr(FlowContract, name)


def contract_register(contract):
    """Register a contract instance for its model (idempotent for the same class)."""
    if contract.model is None:
        raise ImproperlyConfigured(f"{type(contract).__name__} names no model")
    existing = _contracts.get(contract.model)
    if existing is not None and type(existing) is not type(contract):
        raise ImproperlyConfigured(f"{contract.model.__name__} already has a flow contract")
    _contracts[contract.model] = contract
    return contract


def contract_for(model):
    """The registered contract of a FlowItem model (or instance)."""
    if not isinstance(model, type):
        model = type(model)
    try:
        return _contracts[model]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} has no registered flow contract") from None


def registered_contracts():
    """Every registered contract, in registration order (the workspace's order)."""
    return list(_contracts.values())
