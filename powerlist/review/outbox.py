"""Notices the engine's effects raise, collected per action or batch and sent after commit.

Each `collecting()` block gathers the notices of what runs inside it; a block that
raises drops its own notices (a refused item tells nobody), an inner block hands its
notices to the outer one, and the outermost block sends them once the transaction
commits, so a batch of 500 approvals becomes one digest line per recipient.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy

from powerlist.notifications.services import NoticeEvent, notifications_send
from powerlist.org.selectors import user_ids_acting_as
from powerlist.review.contract import contract_for
from powerlist.review.record import last_actor_id_as

# How a notice names the portal when no person acted (a scheduled task's notices).
SYSTEM_ACTOR = gettext_lazy("系统")

_frames = contextvars.ContextVar("review_outbox_frames", default=())


@dataclass
class _Frame:
    events: list
    recipients: dict  # (role, scope key) → ids, so a batch looks each scope up once


@contextmanager
def collecting():
    frames = _frames.get()
    frame = _Frame(events=[], recipients=frames[-1].recipients if frames else {})
    token = _frames.set(frames + (frame,))
    try:
        yield frame
    except BaseException:
        _frames.reset(token)
        raise
    _frames.reset(token)
    if frames:
        frames[-1].events.extend(frame.events)
    elif frame.events:
        events = list(frame.events)
        transaction.on_commit(lambda: notifications_send(events=events))


def _add(event):
    frames = _frames.get()
    if not frames:
        raise RuntimeError("notices are raised only inside outbox.collecting()")
    if event.recipient_ids:
        frames[-1].events.append(event)


def _role_recipients(role, obj):
    frame = _frames.get()[-1]
    key = (role, obj.region_id, obj.department_id, getattr(obj, "division_id", None))
    if key not in frame.recipients:
        frame.recipients[key] = frozenset(user_ids_acting_as(role=role, obj=obj))
    return frame.recipients[key]


def _event(*, kind, obj, actor, action, comment, recipient_ids, action_label=None, item_url=None):
    """`actor` None: the portal itself (a scheduled task), named SYSTEM_ACTOR."""
    contract = contract_for(obj)
    return NoticeEvent(
        kind=kind,
        recipient_ids=frozenset(recipient_ids) - ({actor.pk} if actor is not None else set()),
        item_label=contract.describe(obj),
        item_url=contract.url(obj) if item_url is None else item_url,
        # Labels stay lazy: notices are written in the portal's language, not the actor's.
        item_kind=type(obj)._meta.verbose_name,
        actor_name=str(actor) if actor is not None else SYSTEM_ACTOR,
        action_label=action_label or obj.flow.label_of_action(action),
        state_label=obj.flow.label_of_state(obj.state),
        comment=comment,
    )


def notice_next_stage(*, obj, actor, action, state):
    """Tell whoever the item now waits for (by the flow) that it is in their queue."""
    recipient_ids = set()
    for role in obj.flow.roles_waited_for(state):
        recipient_ids |= _role_recipients(role, obj)
    _add(_event(kind="queue", obj=obj, actor=actor, action=action, comment="", recipient_ids=recipient_ids))


def notice_owner(*, obj, actor, action, comment):
    """Tell the item's owner (the last person who acted on it in the flow's owner role,
    else everyone holding that role in scope) what happened, with the comment."""
    role = obj.flow.owner_role
    if not role:
        return
    owner = last_actor_id_as(obj=obj, role=role)
    recipient_ids = {owner} if owner else _role_recipients(role, obj)
    _add(_event(kind="owner", obj=obj, actor=actor, action=action, comment=comment, recipient_ids=recipient_ids))


def notice_roles(*, objs, actor, roles, action_label, comments):
    """Tell every holder of `roles` in the scope of each of `objs` (items of one model)
    about something that happened to it outside a flow action, with its comment (a system
    raising alerts: supervision.services.alerts; a deferral reaching its date, with
    actor None: disclosure.register_services). The items' URLs are computed at once
    (FlowContract.urls)."""
    objs = list(objs)
    if not objs:
        return
    for obj, comment, url in zip(objs, comments, contract_for(objs[0]).urls(objs), strict=True):
        recipient_ids = set()
        for role in roles:
            recipient_ids |= _role_recipients(role, obj)
        _add(_event(kind="queue", obj=obj, actor=actor, action="", comment=comment, recipient_ids=recipient_ids,
                    action_label=action_label, item_url=url))
