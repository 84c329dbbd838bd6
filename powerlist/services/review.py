"""Review transitions, one service per transition, shared by every reviewable model.

Each transition, under one transaction: checks the role and scope (permissions.py),
locks the item row, checks the current state and version against the transition
table, saves the new state, and appends a hash-chained review log entry. Items pass
`obj` (any Reviewable instance); the model's optional hooks are
`review_precheck(action)` (raise ValidationError to refuse, e.g. an invalid
flowchart), `review_snapshot()` (content as plain data, stored with each submission
so reviewers see what changed since the last one) and `on_review_confirmed(user)`
(e.g. freeze the confirmed revision).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.models import ChainHead, ReviewAction, ReviewLogEntry, ReviewState
from powerlist.permissions import can_transition
from powerlist.review import FINAL_CONFIRMERS, find_transition

REVIEW_CHAIN = "review"


class TransitionConflict(ValidationError):
    """The item changed under the user (another reviewer acted, or the page was stale)."""


def _chained_entry(*, seq, prev_hash, obj, actor, role, action, from_state, to_state, comment, snapshot,
                   created_at):
    """An unsaved log entry with its hash computed over its content and `prev_hash`."""
    from django.contrib.contenttypes.models import ContentType

    entry = ReviewLogEntry(
        seq=seq,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        region_id=obj.region_id,
        department_id=obj.department_id,
        actor=actor,
        actor_name=(getattr(actor, "display_name", "") or actor.username)[:150],
        actor_role=role,
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        revision=getattr(obj, "revision", 1),
        snapshot=snapshot,
        created_at=created_at,
        prev_hash=prev_hash,
    )
    entry.entry_hash = entry.compute_hash()
    return entry


def review_log_append(*, obj, actor, role, action, from_state, to_state, comment="", snapshot=None):
    """Append one entry to the review log's hash chain.

    Must run inside the caller's transaction. Locks the chain head so concurrent
    writers queue up and the chain never forks; the entry hashes its canonical
    content together with the previous entry's hash.
    """
    head, _created = ChainHead.objects.select_for_update().get_or_create(name=REVIEW_CHAIN)
    entry = _chained_entry(
        seq=head.last_seq + 1, prev_hash=head.last_hash, obj=obj, actor=actor, role=role, action=action,
        from_state=from_state, to_state=to_state, comment=comment, snapshot=snapshot, created_at=timezone.now(),
    )
    entry.save()
    head.last_seq = entry.seq
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


def review_log_append_many(*, objs, actor, role, action, from_state, to_state, comment=""):
    """Append one entry per object (same actor and action) to the hash chain.

    The bulk variant of review_log_append, for imports: locks the chain head once,
    computes the hashes in sequence and inserts the entries in batches. The entries
    are those review_log_append would write one by one (sharing one timestamp).
    Must run inside the caller's transaction.
    """
    objs = list(objs)
    if not objs:
        return []
    head, _created = ChainHead.objects.select_for_update().get_or_create(name=REVIEW_CHAIN)
    now = timezone.now()
    entries = []
    seq, prev_hash = head.last_seq, head.last_hash
    for obj in objs:
        seq += 1
        entry = _chained_entry(
            seq=seq, prev_hash=prev_hash, obj=obj, actor=actor, role=role, action=action,
            from_state=from_state, to_state=to_state, comment=comment, snapshot=None, created_at=now,
        )
        prev_hash = entry.entry_hash
        entries.append(entry)
    ReviewLogEntry.objects.bulk_create(entries, batch_size=1000)
    head.last_seq = seq
    head.last_hash = prev_hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entries


def review_log_verify(*, chunk_size=5000):
    """Walk the chain in order. Returns (count, first_broken_entry_or_None, reason)."""
    prev_hash = "0" * 64
    expected_seq = 1
    count = 0
    entries = ReviewLogEntry.objects.select_related("content_type").order_by("seq")
    for entry in entries.iterator(chunk_size=chunk_size):
        count += 1
        if entry.seq != expected_seq:
            return count, entry, f"sequence gap: expected {expected_seq}, found {entry.seq}"
        if entry.prev_hash != prev_hash:
            return count, entry, "prev_hash does not match the previous entry"
        if entry.compute_hash() != entry.entry_hash:
            return count, entry, "content does not match its hash"
        prev_hash = entry.entry_hash
        expected_seq += 1
    head = ChainHead.objects.filter(name=REVIEW_CHAIN).first()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        return count, None, "chain head does not match the last entry (entries removed at the end?)"
    return count, None, ""


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
        if hasattr(locked, "review_precheck"):
            locked.review_precheck(action)

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
        review_log_append(
            obj=locked,
            actor=user,
            role=decision.role,
            action=action,
            from_state=from_state,
            to_state=target,
            comment=comment,
            snapshot=(
                locked.review_snapshot()
                if action == ReviewAction.SUBMIT and hasattr(locked, "review_snapshot")
                else None
            ),
        )
        if target == ReviewState.CONFIRMED and hasattr(locked, "on_review_confirmed"):
            locked.on_review_confirmed(user)
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
