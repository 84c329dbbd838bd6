"""The one engine that executes every flow (powerlist.review.flow).

flow_apply, under one transaction and in this order:
  1. the user may read the item (else Http404: what one may not read does not exist);
  2. lock the row (select_for_update) and find the transition for the current state;
  3. the role and scope (review.permissions.can_take, the same predicate the buttons use);
  4. the version the page showed (TransitionConflict when stale), the comment rule,
     the confirmation slot and the contract's content precheck;
  5. the transition's and the target state's effects, by name (EFFECTS);
  6. a version-guarded UPDATE of the changed fields only;
  7. one operation-record entry in the same transaction;
  8. notices after the commit (one digest per recipient for a batch).
Named entry points (review_submit, review_return …) are thin wrappers; there is no
"set state" that takes any target.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.errors import Conflict
from powerlist.review import outbox
from powerlist.review.contract import contract_for
from powerlist.review.models import ReviewAction
from powerlist.review.permissions import can_take
from powerlist.review.record import operation_record_append


class TransitionConflict(Conflict):
    """The item changed under the user (another reviewer acted, or the page was stale)."""


def _conflict(obj):
    return TransitionConflict(
        _("该事项已被他人处理(当前状态:%(state)s),请刷新页面后再操作。")
        % {"state": obj.flow.label_of_state(obj.state)}
    )


@dataclass
class Step:
    """What one transition is doing, handed to each effect."""

    obj: object
    user: object
    transition: object
    comment: str
    now: object
    from_state: str
    data: dict = field(default_factory=dict)
    target: str = ""
    fields: set = field(default_factory=set)
    snapshot: dict | None = None

    def set(self, name, value):
        setattr(self.obj, name, value)
        self.fields.add(name)


@dataclass(frozen=True)
class Effect:
    """A named effect: `before` runs before the UPDATE (and may set fields), `after`
    once the row and its record entry are written. `fields` are the model fields it
    needs; `hook` the contract hook it needs (checked at start-up)."""

    name: str
    before: object = None
    after: object = None
    fields: tuple = ()
    hook: str = ""


def _stamp_submitted(step):
    step.set("submitted_at", step.now)


def _stamp_confirmed(step):
    step.set("confirmed_at", step.now)


def _store_return_comment(step):
    step.set("last_return_comment", step.comment)


def _clear_confirmations(step):
    for attr in step.obj.flow.confirmations.values():
        step.set(attr, None)


def _open_revision(step):
    step.set("revision", step.obj.revision + 1)
    step.set("last_return_comment", "")


def _store_snapshot(step):
    step.snapshot = contract_for(step.obj).snapshot(step.obj)


def _put_in_force(step):
    contract_for(step.obj).put_in_force(step.obj, step.user)


def _notify_next(step):
    outbox.notice_next_stage(obj=step.obj, actor=step.user, action=step.transition.action, state=step.target)


def _notify_owner(step):
    outbox.notice_owner(obj=step.obj, actor=step.user, action=step.transition.action, comment=step.comment)


EFFECTS = {
    e.name: e
    for e in (
        Effect("stamp_submitted", before=_stamp_submitted, fields=("submitted_at",)),
        Effect("stamp_confirmed", before=_stamp_confirmed, fields=("confirmed_at",)),
        Effect("store_return_comment", before=_store_return_comment, fields=("last_return_comment",)),
        Effect("clear_confirmations", before=_clear_confirmations),
        Effect("open_revision", before=_open_revision, fields=("revision", "last_return_comment")),
        Effect("store_snapshot", before=_store_snapshot, hook="snapshot"),
        Effect("put_in_force", after=_put_in_force, hook="put_in_force"),
        Effect("notify_next", after=_notify_next),
        Effect("notify_owner", after=_notify_owner),
    )
}


def effect_register(effect):
    """Add an app's own named effect (from its AppConfig.ready, before the checks run)."""
    existing = EFFECTS.get(effect.name)
    if existing is not None and existing != effect:
        raise ValueError(f"effect {effect.name!r} is already registered")
    EFFECTS[effect.name] = effect
    return effect


def _readable_or_404(user, obj):
    if not contract_for(obj).can_view(user, obj):
        raise Http404(_("该事项不存在。"))


def flow_apply(*, user, obj, action, comment="", expected_version=None, data=None):
    """Take `action` on `obj` as `user` through the item's flow.

    Raises Http404 when the user may not read the item (nothing else is revealed),
    PermissionDenied with the reason when the role, scope or state refuses it,
    TransitionConflict when the item changed since `expected_version`, and
    ValidationError for a missing required comment or a failed content precheck.
    `data` is handed to the effects (a choice the action carries besides the comment,
    e.g. a complaint's finding; an effect refuses a bad one with ValidationError).
    Returns the updated, locked copy of the item. Nothing is written on refusal.
    """
    comment = (comment or "").strip()
    model = type(obj)
    flow = model.flow
    _readable_or_404(user, obj)
    with outbox.collecting(), transaction.atomic():
        locked = model.objects.select_for_update().select_related("region", "department").get(pk=obj.pk)
        # The user may read the item, so telling them it changed is no oracle. Without
        # the version the page showed, a refusal on a copy in another state is stale too.
        if expected_version is not None and locked.version != expected_version:
            raise _conflict(locked)
        transition = flow.find(locked.state, action)
        decision = can_take(user, locked, transition) if transition else None
        if not decision:
            if locked.state != obj.state:
                raise _conflict(locked)
            if transition is None:
                raise PermissionDenied(
                    _("当前状态“%(state)s”下不能执行此操作。") % {"state": flow.label_of_state(locked.state)}
                )
            raise PermissionDenied(decision.reason)
        if transition.comment_required and not comment:
            raise ValidationError(_("“%(action)s”时必须填写意见,说明理由或需要修改的内容。")
                                  % {"action": flow.label_of_action(action)})
        if transition.confirms and getattr(locked, f"{flow.confirmations[transition.confirms]}_id"):
            raise TransitionConflict(_("本单位已确认过该事项,正在等待另一单位确认。"))
        contract_for(locked).precheck(locked, action)

        step = Step(obj=locked, user=user, transition=transition, comment=comment, now=timezone.now(),
                    from_state=locked.state, data=dict(data or {}))
        step.target = _target(step)
        effects = [EFFECTS[name] for name in transition.effects]
        if step.target != step.from_state:
            effects += [EFFECTS[name] for name in flow.on_enter.get(step.target, ())]
        for effect in effects:
            if effect.before:
                effect.before(step)
        _save(step)
        operation_record_append(
            obj=locked, actor=user, role=decision.role, action=action, from_state=step.from_state,
            to_state=step.target, comment=comment, snapshot=step.snapshot,
        )
        for effect in effects:
            if effect.after:
                effect.after(step)
    return locked


def _target(step):
    """The transition's target; with `needs`, only once every confirmation is in."""
    t, obj = step.transition, step.obj
    if not t.confirms:
        return t.target
    step.set(obj.flow.confirmations[t.confirms], step.user)
    filled = all(getattr(obj, f"{obj.flow.confirmations[slot]}_id") for slot in t.needs)
    return t.target if filled else step.from_state


def _save(step):
    """Write the state and the fields the effects set, refused if anyone wrote first.

    The version guard makes the write itself refuse a concurrent winner on databases
    without row locks (SQLite)."""
    obj = step.obj
    values = {name: getattr(obj, name) for name in step.fields}
    updated = type(obj).objects.filter(pk=obj.pk, version=obj.version, state=step.from_state).update(
        **values, state=step.target, version=obj.version + 1, state_changed_at=step.now,
    )
    if updated != 1:
        raise TransitionConflict(_("该事项已被他人处理,请刷新页面后再操作。"))
    obj.state = step.target
    obj.version += 1
    obj.state_changed_at = step.now


@dataclass
class BatchResult:
    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (obj, reason)


def flow_batch(*, user, objs, action, comment=""):
    """Apply one batchable action to many items, each in its own transaction.

    Refusals are reported item by item and undo nothing else; an item the user may not
    read is reported as not found, never by name or state. Notices of the whole batch
    go out as one digest per recipient.
    """
    result = BatchResult()
    with outbox.collecting():
        for obj in objs:
            transition = obj.flow.find(obj.state, action)
            if transition is not None and not transition.batch:
                result.refused.append((obj, _("该操作不能批量执行。")))
                continue
            try:
                result.done.append(flow_apply(user=user, obj=obj, action=action, comment=comment))
            except Http404:
                result.refused.append((None, _("该事项不存在或无权查看。")))
            except PermissionDenied as exc:
                result.refused.append((obj, str(exc)))
            except ValidationError as exc:
                result.refused.append((obj, "; ".join(exc.messages)))
    return result


# The review chain's named entry points: thin, so `grep review_` finds every caller.

def review_submit(*, user, obj, expected_version=None):
    """Clerk sends a draft to department review."""
    return flow_apply(user=user, obj=obj, action=ReviewAction.SUBMIT, expected_version=expected_version)


def review_withdraw(*, user, obj, expected_version=None):
    """Clerk takes a submission back before the department reviewer acts on it."""
    return flow_apply(user=user, obj=obj, action=ReviewAction.WITHDRAW, expected_version=expected_version)


def review_approve(*, user, obj, comment="", expected_version=None):
    """Department or office reviewer passes the item on to the next stage."""
    return flow_apply(user=user, obj=obj, action=ReviewAction.APPROVE, comment=comment,
                      expected_version=expected_version)


def review_return(*, user, obj, comment, expected_version=None):
    """A reviewer of the current stage sends the item back to draft; comment required."""
    return flow_apply(user=user, obj=obj, action=ReviewAction.RETURN, comment=comment,
                      expected_version=expected_version)


def review_confirm_establishment(*, user, obj, comment="", expected_version=None):
    """The establishment office's half of the final confirmation."""
    return flow_apply(user=user, obj=obj, action=ReviewAction.CONFIRM_ESTABLISHMENT, comment=comment,
                      expected_version=expected_version)


def review_confirm_legal(*, user, obj, comment="", expected_version=None):
    """The legal office's half of the final confirmation."""
    return flow_apply(user=user, obj=obj, action=ReviewAction.CONFIRM_LEGAL, comment=comment,
                      expected_version=expected_version)


def review_start_revision(*, user, obj, expected_version=None):
    """Clerk opens a new draft revision of a confirmed item; the confirmed one stays in force."""
    return flow_apply(user=user, obj=obj, action=ReviewAction.REVISE, expected_version=expected_version)
