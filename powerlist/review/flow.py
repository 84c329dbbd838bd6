"""Flows as data: the whole truth about every state machine in the portal.

A Flow declares its states, its transitions and what happens on each, by name. The
engine (powerlist.review.engine) executes any flow; pages, the API, batch actions,
queues, counts and notifications read the flow and nothing else. Nobody keeps a second
list of which actions take a comment or who acts next.

A transition says:
    source, action, roles   who may take `action` on an item in `source`
    target                  where it leads
    comment                 none / optional / required
    batch                   may be taken on many ticked items at once
    waiting                 the item waits for these roles while in `source` (it is in
                            their queue, they are told when it arrives); False for
                            actions on the side: withdrawing, returning, revising
    confirms, needs         fills one confirmation slot; the item moves to `target` only
                            once every slot in `needs` is filled, and stays until then
    effects                 named effects the engine runs (see engine.EFFECTS)
A state may name effects run whenever an item enters it (`on_enter`).
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise

NONE = "none"
OPTIONAL = "optional"
REQUIRED = "required"
COMMENT_CHOICES = (NONE, OPTIONAL, REQUIRED)


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    roles: frozenset
    target: str
    comment: str = NONE
    batch: bool = False
    waiting: bool = True
    confirms: str = ""
    needs: frozenset = frozenset()
    effects: tuple = ()

    @property
    def takes_comment(self):
        return self.comment != NONE

    @property
    def comment_required(self):
        return self.comment == REQUIRED


def transition(source, action, roles, target, *, comment=NONE, batch=False, waiting=True, confirms="",
               needs=(), effects=()):
    """A Transition from plain arguments (roles and needs as any iterable)."""
    return Transition(source, action, frozenset(roles), target, comment, batch, waiting, confirms,
                      frozenset(needs), tuple(effects))


@dataclass(frozen=True)
class Button:
    """An action as a page or the API offers it: its label, its comment rule, and whether
    it sends the item back (shown as a warning button)."""

    action: str
    label: str
    comment: str
    danger: bool

    @property
    def takes_comment(self):
        return self.comment != NONE

    @property
    def comment_required(self):
        return self.comment == REQUIRED


class Buttons(list):
    """Buttons of one form: whether it needs a comment box, and for which actions it is
    required."""

    @property
    def takes_comment(self):
        return any(b.takes_comment for b in self)

    @property
    def required_labels(self):
        return "、".join(b.label for b in self if b.comment_required)


class FlowDefinitionError(ValueError):
    """A flow table that contradicts itself (found when the flow is built)."""


@dataclass(frozen=True)
class Flow:
    """A state machine as data. `states` and `actions` are TextChoices classes."""

    name: str
    label: Promise | str
    states: type
    actions: type
    initial: str
    transitions: tuple
    # Confirmation slot → the model's field (a user FK) that records who filled it.
    confirmations: dict = field(default_factory=dict)
    # State → effects run whenever an item enters that state.
    on_enter: dict = field(default_factory=dict)
    # The role whose work the item is (told when it is returned or confirmed).
    owner_role: str = ""

    def __post_init__(self):
        states = set(self.states.values)
        actions = set(self.actions.values)
        seen = set()
        if self.initial not in states:
            raise FlowDefinitionError(f"{self.name}: initial state {self.initial!r} is not a state")
        for t in self.transitions:
            where = f"{self.name}: {t.source} --{t.action}-->"
            if t.source not in states or t.target not in states:
                raise FlowDefinitionError(f"{where} {t.target}: unknown state")
            if t.action not in actions:
                raise FlowDefinitionError(f"{where}: unknown action")
            if (t.source, t.action) in seen:
                raise FlowDefinitionError(f"{where}: the same action twice from one state")
            seen.add((t.source, t.action))
            if t.comment not in COMMENT_CHOICES:
                raise FlowDefinitionError(f"{where}: comment must be one of {COMMENT_CHOICES}")
            if not t.roles:
                raise FlowDefinitionError(f"{where}: no role may take it")
            slots = set(t.needs) | ({t.confirms} if t.confirms else set())
            if not slots <= set(self.confirmations):
                raise FlowDefinitionError(f"{where}: unknown confirmation slot {slots - set(self.confirmations)}")
            if t.needs and not t.confirms:
                raise FlowDefinitionError(f"{where}: needs confirmations but confirms none")
        for state in self.on_enter:
            if state not in states:
                raise FlowDefinitionError(f"{self.name}: on_enter names unknown state {state!r}")

    # -- reading the table ---------------------------------------------------------

    def find(self, state, action):
        """The transition for `action` from `state`, or None."""
        for t in self.transitions:
            if t.source == state and t.action == action:
                return t
        return None

    def transitions_from(self, state):
        return [t for t in self.transitions if t.source == state]

    @property
    def action_values(self):
        """Actions that some transition uses, in the order of the actions class."""
        used = {t.action for t in self.transitions}
        return [a for a in self.actions.values if a in used]

    def takes_comment(self, action):
        """Whether any transition of `action` takes a comment (pages show a comment box)."""
        return any(t.takes_comment for t in self.transitions if t.action == action)

    def comment_required(self, action, state=None):
        return any(
            t.comment_required for t in self.transitions if t.action == action and state in (None, t.source)
        )

    def roles(self):
        """Every role that takes part in the flow."""
        return frozenset().union(*(t.roles for t in self.transitions))

    def batch_actions(self, role):
        """Actions `role` may take on many items at once, in table order."""
        actions = []
        for t in self.transitions:
            if t.batch and role in t.roles and t.action not in actions:
                actions.append(t.action)
        return actions

    def waiting_for(self, role):
        """[(state, confirmation slot or "")]: where an item waits for `role` (its queue)."""
        return [(t.source, t.confirms) for t in self.transitions if t.waiting and role in t.roles]

    def roles_waited_for(self, state):
        """Roles an item in `state` waits for (told when it arrives there)."""
        return frozenset().union(*(t.roles for t in self.transitions if t.waiting and t.source == state))

    def effects(self):
        """Every effect name the flow uses (transitions and state entries)."""
        names = set()
        for t in self.transitions:
            names.update(t.effects)
        for effects in self.on_enter.values():
            names.update(effects)
        return names

    def button(self, action, transitions):
        """The button for `action` taken through any of `transitions` (one for an item's
        page, all a role may batch for a queue): the strictest comment rule among them."""
        comments = {t.comment for t in transitions}
        comment = REQUIRED if REQUIRED in comments else OPTIONAL if OPTIONAL in comments else NONE
        danger = any(t.target == self.initial and t.source != self.initial and t.comment_required
                     for t in transitions)
        return Button(action, str(self.label_of_action(action)), comment, danger)

    def label_of_state(self, state):
        return self.states(state).label

    def label_of_action(self, action):
        return self.actions(action).label
