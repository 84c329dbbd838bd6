"""An item's history read from the operation record: its entries labelled in the
item's own flow, and how long it spent in each state."""

from dataclasses import dataclass

from django.utils import timezone

from powerlist.review.record import operation_record_for


def flow_record(obj, *, labels=None) -> list:
    """The operation record of `obj`, oldest first (one query), each entry with `.label`:
    `labels` (the page's names for actions outside the flow, e.g. "系统预警" for an
    alert raised by the scan, "提交投诉" for a complaint's creation), else the action as
    the item's flow names it, else the review action's name (e.g. "创建")."""
    flow, own = obj.flow, labels or {}
    entries = list(operation_record_for(obj))
    for entry in entries:
        action = entry.action
        if action in own:
            entry.label = own[action]
        elif action in flow.actions.values:
            entry.label = flow.label_of_action(action)
        else:
            entry.label = entry.get_action_display()
    return entries


@dataclass(frozen=True)
class StateSpell:
    state: str
    label: str
    entered_at: object  # None when the record does not say (no creation entry)
    left_at: object  # None while the item is still in the state

    @property
    def duration(self):
        if self.entered_at is None:
            return None
        return (self.left_at or timezone.now()) - self.entered_at


def flow_state_history(obj) -> list:
    """The item's spells in each state, oldest first, from the operation record (one
    query): when it entered each state and when it left, so a handling flow can show
    and measure the time spent in each state."""
    spells = []
    for entry in operation_record_for(obj):
        if spells and spells[-1].state == entry.to_state:
            continue
        if spells:
            last = spells[-1]
            spells[-1] = StateSpell(last.state, last.label, last.entered_at, entry.created_at)
        elif entry.from_state:
            spells.append(StateSpell(entry.from_state, str(obj.flow.label_of_state(entry.from_state)),
                                     None, entry.created_at))
        spells.append(StateSpell(entry.to_state, str(obj.flow.label_of_state(entry.to_state)),
                                 entry.created_at, None))
    return spells
