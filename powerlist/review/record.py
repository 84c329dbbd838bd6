"""The operation record (重要行政权力运行记录): the one writer every entry goes through, its
reads, its verification and its daily checkpoints.

Entries are hash-chained per stream (`record_stream_for`: one chain per region, or per
department in the regions named by the OPERATION_RECORD_SPLIT_REGIONS setting). A
writer locks only its stream's head row, so work in one city never waits for another;
within a chain, `seq` counts from 1 and each entry hashes its content with the
previous entry's hash. On SQLite the whole database is written by one transaction at a
time anyway (IMMEDIATE transactions, config/settings.py), so writers stay serialised.
See docs/operation-record.md.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.base import ModelState
from django.utils import timezone

from powerlist.org.models import Region
from powerlist.review.models import ReviewAction, ReviewState
from powerlist.review.record_models import GENESIS_HASH, LEGACY_CHAIN, ChainHead, Checkpoint, ReviewLogEntry


@dataclass(frozen=True)
class RecordEvent:
    """One fact to record, for the bulk writer. `created_at` None = the time of the write."""

    obj: object
    actor: object
    role: str
    action: str
    from_state: str
    to_state: str
    comment: str = ""
    snapshot: object = None
    created_at: dt.datetime | None = None


def _stream(region_code, department_id):
    stream = f"region:{region_code}"
    if region_code in settings.OPERATION_RECORD_SPLIT_REGIONS:
        stream += f"/department:{department_id}"
    return stream


def _region_codes(objs):
    """{region_id: code} for the objects' regions: from loaded relations, else one query."""
    codes, missing = {}, set()
    for obj in objs:
        region = obj._state.fields_cache.get("region")
        if isinstance(region, Region):
            codes[region.pk] = region.code
        else:
            missing.add(obj.region_id)
    missing -= codes.keys()
    if missing:
        codes.update(Region.objects.filter(pk__in=missing).values_list("pk", "code"))
    return codes


def record_stream_for(obj) -> str:
    """The chain an entry about `obj` goes to: "region:<code>", or
    "region:<code>/department:<id>" where the region is split by the setting. The only
    place the rule lives; changing it sends new entries to new chains, and the old
    chains stay complete and verifiable."""
    return _stream(_region_codes([obj])[obj.region_id], obj.department_id)


def _lock_heads(streams):
    """The heads of `streams`, created when new and locked (select_for_update) in name
    order, so two writers that lock several heads never wait for each other in a cycle."""
    heads = {}
    for name in sorted(set(streams)):
        heads[name], _created = ChainHead.objects.select_for_update().get_or_create(name=name)
    return heads


_BLANK_ENTRY = {}


def _entry(*, chain, seq, prev_hash, event, created_at):
    """A new, unsaved entry with its hash. Built straight into the instance's __dict__
    (every concrete field set, as Model.__init__ would): an import writes thousands of
    entries, and Model.__init__ was a third of the record's cost (bench/results.md,
    import bench). The hashed content is canonical_content's, unchanged."""
    obj, actor = event.obj, event.actor
    if not _BLANK_ENTRY:
        _BLANK_ENTRY.update((k, v) for k, v in ReviewLogEntry().__dict__.items() if k != "_state")
    content_type = ContentType.objects.get_for_model(type(obj))
    entry = ReviewLogEntry.__new__(ReviewLogEntry)
    entry.__dict__.update(
        _BLANK_ENTRY,
        _state=ModelState(),
        chain=chain,
        seq=seq,
        content_type_id=content_type.pk,
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        region_id=obj.region_id,
        department_id=obj.department_id,
        actor_id=actor.pk,
        actor_name=(getattr(actor, "display_name", "") or actor.username)[:150],
        actor_role=event.role,
        action=event.action,
        from_state=event.from_state,
        to_state=event.to_state,
        comment=event.comment,
        revision=getattr(obj, "revision", 1),
        snapshot=event.snapshot,
        created_at=event.created_at or created_at,
        prev_hash=prev_hash,
    )
    entry._state.fields_cache.update(content_type=content_type, actor=actor)
    entry.entry_hash = entry.compute_hash()
    return entry


def operation_record_append_events(events, *, insert=None):
    """Append one entry per RecordEvent, in the given order within each stream.

    Must run inside the caller's transaction. Locks the heads of the streams involved
    (in name order) until the caller commits, hashes the entries in sequence and
    inserts them in batches (`insert(entries)` replaces the default bulk_create, e.g.
    PostgreSQL COPY in the generator). The entries are those operation_record_append
    would write one by one (with the same timestamps). Returns the unsaved-or-saved
    entries in the order of `events`.
    """
    events = list(events)
    if not events:
        return []
    codes = _region_codes([e.obj for e in events])
    streams = [_stream(codes[e.obj.region_id], e.obj.department_id) for e in events]
    heads = _lock_heads(streams)
    now = timezone.now()
    entries = []
    for stream, event in zip(streams, events):
        head = heads[stream]
        entry = _entry(chain=stream, seq=head.last_seq + 1, prev_hash=head.last_hash, event=event, created_at=now)
        head.last_seq, head.last_hash = entry.seq, entry.entry_hash
        entries.append(entry)
    if insert is None:
        ReviewLogEntry.objects.bulk_create(entries, batch_size=1000)
    else:
        insert(entries)
    for head in heads.values():
        head.save(update_fields=["last_seq", "last_hash"])
    return entries


def operation_record_append(*, obj, actor, role, action, from_state, to_state, comment="", snapshot=None):
    """Append one entry about `obj` (any model instance with pk, region_id and
    department_id) to its stream's chain; returns the saved entry.

    Must run inside the caller's transaction, so the entry exists exactly when the
    change it records does. Locks only the stream's head row until the caller commits.
    """
    event = RecordEvent(obj=obj, actor=actor, role=role, action=action, from_state=from_state,
                        to_state=to_state, comment=comment, snapshot=snapshot)
    stream = record_stream_for(obj)
    head = _lock_heads([stream])[stream]
    entry = _entry(chain=stream, seq=head.last_seq + 1, prev_hash=head.last_hash, event=event,
                   created_at=timezone.now())
    entry.save()
    head.last_seq, head.last_hash = entry.seq, entry.entry_hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


def operation_record_append_many(*, objs, actor, role, action, from_state, to_state, comment=""):
    """Append one entry per object (same actor, action and timestamp), for imports and
    bulk changes; the entries equal those of operation_record_append called one by one.
    Must run inside the caller's transaction."""
    return operation_record_append_events(
        RecordEvent(obj=obj, actor=actor, role=role, action=action, from_state=from_state, to_state=to_state,
                    comment=comment)
        for obj in objs
    )


# --- Reads -------------------------------------------------------------------


def _entries_of(obj):
    return ReviewLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def operation_record_for(obj):
    """The entries about `obj`, oldest first, with their actors (one query). An item's
    entries may span chains (legacy, then its stream), so they are ordered by time and
    insertion, never by `seq`."""
    return _entries_of(obj).select_related("actor").order_by("created_at", "id")


def last_actor_id_as(*, obj, role):
    """The id of the last user who acted on `obj` in `role`, or None (one query)."""
    return (
        _entries_of(obj).filter(actor_role=role).order_by("-created_at", "-id")
        .values_list("actor_id", flat=True).first()
    )


def previous_submission(obj):
    """The submission before the current one (its entry, with its snapshot), so a
    reviewer sees what changed since they last saw the item; None on a first submission."""
    submissions = _entries_of(obj).filter(action=ReviewAction.SUBMIT, snapshot__isnull=False).order_by(
        "-created_at", "-id"
    )
    if obj.state == ReviewState.DRAFT:
        return submissions.first()
    return submissions[1:2].first()


# --- Verification and checkpoints ---------------------------------------------


@dataclass
class ChainVerification:
    """The outcome for one chain. `count`: entries in the chain up to its head;
    `checked`: entries walked (from `from_seq`, 1 in a full check); `broken`: the first
    entry found wrong (None when intact, or when the fault is the head or the
    checkpoint itself); `reason`: empty when intact."""

    chain: str
    count: int = 0
    checked: int = 0
    from_seq: int = 1
    broken: ReviewLogEntry | None = None
    reason: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    checkpoint: Checkpoint | None = None

    @property
    def ok(self):
        return not self.reason


def _verify_chain(head, *, full, chunk_size):
    """Walk `head`'s chain up to the head as read (entries committed later are not
    looked at), from its last checkpoint unless `full`."""
    result = ChainVerification(chain=head.name, head_seq=head.last_seq, head_hash=head.last_hash)
    entries = ReviewLogEntry.objects.filter(chain=head.name)
    prev_hash, expected_seq = GENESIS_HASH, 1
    checkpoint = None if full else Checkpoint.objects.filter(chain=head.name).order_by("-seq").first()
    if checkpoint is not None:
        result.checkpoint = checkpoint
        anchor = entries.filter(seq=checkpoint.seq).first()
        if anchor is None:
            result.reason = f"checkpoint #{checkpoint.seq} of {checkpoint.created_at:%Y-%m-%d}: its entry is missing"
            return result
        if anchor.entry_hash != checkpoint.head_hash or anchor.compute_hash() != anchor.entry_hash:
            result.broken = anchor
            result.reason = (f"entry does not match the checkpoint #{checkpoint.seq} of "
                             f"{checkpoint.created_at:%Y-%m-%d} (changed since the checkpoint)")
            return result
        prev_hash, expected_seq = checkpoint.head_hash, checkpoint.seq + 1
        result.count = checkpoint.count
    result.from_seq = expected_seq
    walk = entries.filter(seq__gte=expected_seq, seq__lte=head.last_seq).order_by("seq")
    for entry in walk.iterator(chunk_size=chunk_size):
        result.checked += 1
        result.count += 1
        if entry.seq != expected_seq:
            result.broken, result.reason = entry, f"sequence gap: expected {expected_seq}, found {entry.seq}"
            return result
        if entry.prev_hash != prev_hash:
            result.broken, result.reason = entry, "prev_hash does not match the previous entry"
            return result
        if entry.compute_hash() != entry.entry_hash:
            result.broken, result.reason = entry, "content does not match its hash"
            return result
        prev_hash = entry.entry_hash
        expected_seq += 1
    if head.last_seq != expected_seq - 1 or head.last_hash != prev_hash:
        result.reason = "chain head does not match the last entry (entries removed at the end?)"
    return result


def operation_record_verify(*, chain=None, full=False, chunk_size=5000):
    """Verify every chain (or the one named), each from its last checkpoint (the
    checkpoint's hash must still be its entry's) or from the start when `full`.
    Returns one ChainVerification per chain, by chain name. A full check also reports
    entries whose chain has no head."""
    heads = ChainHead.objects.order_by("name")
    if chain is not None:
        heads = heads.filter(name=chain)
    results = [_verify_chain(head, full=full, chunk_size=chunk_size) for head in heads]
    if full:
        known = {r.chain for r in results}
        orphans = ReviewLogEntry.objects.values_list("chain", flat=True).distinct().order_by("chain")
        if chain is not None:
            orphans = orphans.filter(chain=chain)
        for name in orphans:
            if name not in known:
                results.append(ChainVerification(chain=name, reason="entries without a chain head"))
    return results


def record_checkpoint_write(*, chunk_size=5000):
    """Write a checkpoint of every chain that grew since its last checkpoint, after
    verifying it from that checkpoint; a broken chain gets none. Returns the
    ChainVerification of every chain, with `checkpoint` set to the one written (or the
    last one when nothing changed)."""
    results = []
    for head in ChainHead.objects.order_by("name"):
        result = _verify_chain(head, full=False, chunk_size=chunk_size)
        if result.ok and result.head_seq > (result.checkpoint.seq if result.checkpoint else 0):
            result.checkpoint, _created = Checkpoint.objects.get_or_create(
                chain=result.chain, seq=result.head_seq,
                defaults={"head_hash": result.head_hash, "count": result.count, "created_at": timezone.now()},
            )
        results.append(result)
    return results


def record_checkpoints(*, chain=None, since=None):
    """Published checkpoints, oldest first (for the export command)."""
    checkpoints = Checkpoint.objects.order_by("created_at", "chain", "seq")
    if chain:
        checkpoints = checkpoints.filter(chain=chain)
    if since:
        checkpoints = checkpoints.filter(created_at__date__gte=since)
    return checkpoints


__all__ = [
    "LEGACY_CHAIN",
    "ChainVerification",
    "RecordEvent",
    "last_actor_id_as",
    "operation_record_append",
    "operation_record_append_events",
    "operation_record_append_many",
    "operation_record_for",
    "operation_record_verify",
    "previous_submission",
    "record_checkpoint_write",
    "record_checkpoints",
    "record_stream_for",
]
