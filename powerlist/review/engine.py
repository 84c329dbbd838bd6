"""Review transitions, one service per transition, shared by every reviewable model.

Each transition, under one transaction: checks the role and scope (permissions.py),
locks the item row, checks the current state and version against the transition
table, saves the new state, and appends a hash-chained review log entry
(powerlist.review.record). Items pass `obj` (any Reviewable instance); the hooks its
app registered (powerlist.review.hooks: precheck, snapshot, on_confirmed) run at the
points those names say.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.review.flows import FINAL_CONFIRMERS, find_transition
from powerlist.review.hooks import review_hooks_for
from powerlist.review.models import ReviewAction, ReviewState
from powerlist.review.permissions import can_transition
from powerlist.review.record import operation_record_append


class TransitionConflict(ValidationError):
    """The item changed under the user (another reviewer acted, or the page was stale)."""


def _apply(*, user, obj, action, comment="", expected_version=None):
    comment = (comment or "").strip()
    model = type(obj)
    with transaction.atomic():
        locked = model.objects.select_for_update().select_related("region", "department").get(pk=obj.pk)
        if expected_version is not None and locked.version != int(expected_version):
            raise TransitionConflict(
                _("该事项已被他人处理(当前状态:%(state)s),请刷新页面后再操作。")
                % {"state": ReviewState(locked.state).label}
            )
        decision = can_transition(user, locked, action)
        if not decision:
            if locked.state != obj.state:
                raise TransitionConflict(
                    _("该事项已被他人处理(当前状态:%(state)s),请刷新页面后再操作。")
                    % {"state": ReviewState(locked.state).label}
                )
            raise PermissionDenied(decision.reason)
        transition = find_transition(model, locked.state, action)
        if transition.comment_required and not comment:
            raise ValidationError(_("退回时必须填写意见,说明需要修改的内容。"))
        hooks = review_hooks_for(model)
        if hooks.precheck:
            hooks.precheck(locked, action)

        now = timezone.now()
        from_state = locked.state
        target = transition.target
        update_fields = ["state", "version", "state_changed_at"]
        if action in FINAL_CONFIRMERS:
            attr, _role = FINAL_CONFIRMERS[action]
            if getattr(locked, f"{attr}_id"):
                raise TransitionConflict(_("本单位已确认过该事项,正在等待另一单位确认。"))
            setattr(locked, attr, user)
            update_fields.append(attr)
            others_done = all(
                getattr(locked, f"{other}_id") for other, _r in FINAL_CONFIRMERS.values()
            )
            target = ReviewState.CONFIRMED if others_done else ReviewState.FINAL_REVIEW
        if target == ReviewState.DRAFT or from_state == ReviewState.OFFICE_REVIEW:
            locked.establishment_confirmed_by = None
            locked.legal_confirmed_by = None
            update_fields += ["establishment_confirmed_by", "legal_confirmed_by"]
        if action == ReviewAction.SUBMIT:
            locked.submitted_at = now
            update_fields.append("submitted_at")
        if action == ReviewAction.RETURN:
            locked.last_return_comment = comment
            update_fields.append("last_return_comment")
        if action == ReviewAction.REVISE:
            locked.revision += 1
            locked.last_return_comment = ""
            update_fields += ["revision", "last_return_comment"]
        if target == ReviewState.CONFIRMED:
            locked.confirmed_at = now
            update_fields.append("confirmed_at")

        # The version guard makes the write itself refuse a concurrent winner, on
        # databases where the row lock above is not available (SQLite).
        updated = model.objects.filter(pk=locked.pk, version=locked.version, state=from_state).update(
            **{f: getattr(locked, f) for f in update_fields if f not in ("state", "version", "state_changed_at")},
            state=target,
            version=locked.version + 1,
            state_changed_at=now,
        )
        if updated != 1:
            raise TransitionConflict(_("该事项已被他人处理,请刷新页面后再操作。"))
        locked.state = target
        locked.version += 1
        locked.state_changed_at = now
        operation_record_append(
            obj=locked,
            actor=user,
            role=decision.role,
            action=action,
            from_state=from_state,
            to_state=target,
            comment=comment,
            snapshot=hooks.snapshot(locked) if action == ReviewAction.SUBMIT and hooks.snapshot else None,
        )
        if target == ReviewState.CONFIRMED and hooks.on_confirmed:
            hooks.on_confirmed(locked, user)
    return locked


def review_submit(*, user, obj, expected_version=None):
    """Clerk sends a draft to department review. Raises PermissionDenied / ValidationError."""
    return _apply(user=user, obj=obj, action=ReviewAction.SUBMIT, expected_version=expected_version)


def review_withdraw(*, user, obj, expected_version=None):
    """Clerk takes a submission back before the department reviewer acts on it."""
    return _apply(user=user, obj=obj, action=ReviewAction.WITHDRAW, expected_version=expected_version)


def review_approve(*, user, obj, comment="", expected_version=None):
    """Department or office reviewer passes the item on to the next stage."""
    return _apply(
        user=user, obj=obj, action=ReviewAction.APPROVE, comment=comment, expected_version=expected_version
    )


def review_return(*, user, obj, comment, expected_version=None):
    """Any reviewer of the current stage sends the item back to draft; comment required."""
    return _apply(
        user=user, obj=obj, action=ReviewAction.RETURN, comment=comment, expected_version=expected_version
    )


def review_confirm_establishment(*, user, obj, comment="", expected_version=None):
    """Establishment office's half of the final confirmation."""
    return _apply(
        user=user,
        obj=obj,
        action=ReviewAction.CONFIRM_ESTABLISHMENT,
        comment=comment,
        expected_version=expected_version,
    )


def review_confirm_legal(*, user, obj, comment="", expected_version=None):
    """Legal office's half of the final confirmation."""
    return _apply(
        user=user, obj=obj, action=ReviewAction.CONFIRM_LEGAL, comment=comment, expected_version=expected_version
    )


def review_start_revision(*, user, obj, expected_version=None):
    """Clerk opens a new draft revision of a confirmed item; the confirmed one stays in force."""
    return _apply(user=user, obj=obj, action=ReviewAction.REVISE, expected_version=expected_version)


SERVICE_BY_ACTION = {
    ReviewAction.SUBMIT: review_submit,
    ReviewAction.WITHDRAW: review_withdraw,
    ReviewAction.APPROVE: review_approve,
    ReviewAction.RETURN: review_return,
    ReviewAction.CONFIRM_ESTABLISHMENT: review_confirm_establishment,
    ReviewAction.CONFIRM_LEGAL: review_confirm_legal,
    ReviewAction.REVISE: review_start_revision,
}


@dataclass
class BatchResult:
    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (obj, reason)


def review_batch(*, user, objs, action, comment=""):
    """Apply one action to many items, each in its own transaction; refusals are
    reported item by item and do not undo the others."""
    service = SERVICE_BY_ACTION[action]
    result = BatchResult()
    for obj in objs:
        kwargs = {"user": user, "obj": obj}
        if action in (ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.CONFIRM_ESTABLISHMENT,
                      ReviewAction.CONFIRM_LEGAL):
            kwargs["comment"] = comment
        try:
            result.done.append(service(**kwargs))
        except (PermissionDenied, ValidationError) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            result.refused.append((obj, message))
    return result
