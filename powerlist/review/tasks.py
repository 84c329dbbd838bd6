"""Celery entry points of the operation record: the daily checkpoint (on the beat
schedule, CELERY_BEAT_SCHEDULE) and a verification on demand."""

from celery import shared_task

from powerlist.review.record import operation_record_verify, record_checkpoint_write


def _summary(result):
    return {
        "chain": result.chain, "entries": result.count, "checked": result.checked, "ok": result.ok,
        "broken_seq": result.broken.seq if result.broken else None, "reason": result.reason,
    }


@shared_task(name="powerlist.record_checkpoint")
def record_checkpoint():
    """Checkpoint every chain that grew (see record_checkpoint_write); one summary per chain."""
    return [{**_summary(r), "checkpoint_seq": r.checkpoint.seq if r.checkpoint else None}
            for r in record_checkpoint_write()]


@shared_task(name="powerlist.verify_operation_record")
def verify_operation_record(full=False):
    """Verify every chain (from its last checkpoint unless `full`): {"ok", "chains": [...]}."""
    results = [_summary(r) for r in operation_record_verify(full=full)]
    return {"ok": all(r["ok"] for r in results), "entries": sum(r["entries"] for r in results), "chains": results}
