"""The one writer of the review log (the first part of the operation record,
重要行政权力运行记录): every append, one by one, in bulk, or from the generator, goes
through this module, which keeps the hash chain; and the chain's verification."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from powerlist.review.models import ChainHead, ReviewLogEntry

REVIEW_CHAIN = "review"


def review_log_entry(*, obj, actor, role, action, from_state, to_state, comment="", snapshot=None,
                     created_at=None):
    """An unsaved, unchained entry recording `action` on `obj` (any item with region
    and department); review_log_write gives it its place in the chain."""
    return ReviewLogEntry(
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
        created_at=created_at or timezone.now(),
    )


def _bulk_insert(batch):
    ReviewLogEntry.objects.bulk_create(batch)


def review_log_write(entries, *, insert=_bulk_insert, batch_size=1000):
    """Chain unsaved entries (content filled in; seq and hashes not) after the chain
    head, in order, and store them: the one place the chain grows.

    Must run inside the caller's transaction. Locks the chain head so concurrent
    writers queue up and the chain never forks; each entry hashes its canonical
    content together with the previous entry's hash. `insert(batch)` stores a list of
    chained entries (bulk_create by default; the synthetic-province generator passes
    its COPY writer). Returns the number of entries written.
    """
    head, _created = ChainHead.objects.select_for_update().get_or_create(name=REVIEW_CHAIN)
    seq, prev_hash = head.last_seq, head.last_hash
    batch, count = [], 0
    for entry in entries:
        seq += 1
        entry.seq, entry.prev_hash = seq, prev_hash
        entry.entry_hash = prev_hash = entry.compute_hash()
        batch.append(entry)
        if len(batch) >= batch_size:
            insert(batch)
            count += len(batch)
            batch = []
    if batch:
        insert(batch)
        count += len(batch)
    if count:
        head.last_seq, head.last_hash = seq, prev_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return count


def review_log_append(*, obj, actor, role, action, from_state, to_state, comment="", snapshot=None):
    """Append one entry to the review log's hash chain (see review_log_write) and
    return it. Must run inside the caller's transaction."""
    entry = review_log_entry(obj=obj, actor=actor, role=role, action=action, from_state=from_state,
                             to_state=to_state, comment=comment, snapshot=snapshot)
    review_log_write([entry])
    return entry


def review_log_append_many(*, objs, actor, role, action, from_state, to_state, comment=""):
    """Append one entry per object (same actor and action) to the hash chain.

    The bulk variant of review_log_append, for imports: the head is locked once and
    the entries are inserted in batches. The entries are those review_log_append would
    write one by one (sharing one timestamp). Must run inside the caller's transaction.
    """
    now = timezone.now()
    entries = [
        review_log_entry(obj=obj, actor=actor, role=role, action=action, from_state=from_state,
                         to_state=to_state, comment=comment, created_at=now)
        for obj in objs
    ]
    review_log_write(entries)
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
