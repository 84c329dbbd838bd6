"""The one writer of the review log (the first part of the operation record,
重要行政权力运行记录): every append, one by one, in bulk, or from the generator, goes
through this module, which keeps the hash chain; and the chain's verification."""

from django.utils import timezone

from powerlist.review.models import ChainHead, ReviewLogEntry

REVIEW_CHAIN = "review"


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
