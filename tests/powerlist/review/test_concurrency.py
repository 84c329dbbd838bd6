"""Two reviewers at once, on PostgreSQL's row locks: exactly one wins, the chain never forks."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from powerlist.models import Power, ReviewLogEntry, ReviewState
from powerlist.review.engine import TransitionConflict, review_approve, review_return, review_submit
from powerlist.review.record import operation_record_verify
from tests.powerlist.factories import PowerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock concurrency needs PostgreSQL (CI runs the suite on PostgreSQL)",
    ),
]


def _run_parallel(*calls):
    """Run each call in its own thread and DB connection, released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = ("ok", fn())
        except (PermissionDenied, ValidationError) as exc:
            results[i] = ("refused", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _assert_loser_told_of_the_conflict(results):
    """The loser's page was stale: it hears that someone else acted, not that it may not."""
    refused = next(r[1] for r in results if r[0] == "refused")
    assert isinstance(refused, TransitionConflict), repr(refused)
    assert "已被他人处理" in " ".join(refused.messages)


def test_two_reviewers_acting_at_once_exactly_one_wins(org):
    power = review_submit(user=org.clerk, obj=PowerFactory(department=org.dept, division=org.division))
    second_reviewer = org.dept_reviewer.__class__.objects.get(pk=org.dept_reviewer.pk)
    # Both reviewers loaded the page before either acted: each holds its own copy read
    # now. (Read inside the threads, the loser's copy could already show the winner's
    # state, and the engine then rightly refuses the action as not allowed in that
    # state instead of as a conflict.)
    first_copy, second_copy = Power.objects.get(pk=power.pk), Power.objects.get(pk=power.pk)
    results = _run_parallel(
        lambda: review_approve(user=org.dept_reviewer, obj=first_copy),
        lambda: review_return(user=second_reviewer, obj=second_copy, comment="不同意"),
    )
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"]
    _assert_loser_told_of_the_conflict(results)
    power.refresh_from_db()
    assert power.state in (ReviewState.OFFICE_REVIEW, ReviewState.DRAFT)
    # submit + exactly one review decision
    assert ReviewLogEntry.objects.filter(object_id=power.pk).count() == 2


def test_two_approvals_of_the_same_power_one_wins(org):
    power = review_submit(user=org.clerk, obj=PowerFactory(department=org.dept, division=org.division))
    first_copy, second_copy = Power.objects.get(pk=power.pk), Power.objects.get(pk=power.pk)
    results = _run_parallel(
        lambda: review_approve(user=org.dept_reviewer, obj=first_copy),
        lambda: review_approve(user=org.dept_reviewer, obj=second_copy),
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"]
    _assert_loser_told_of_the_conflict(results)
    power.refresh_from_db()
    assert power.state == ReviewState.OFFICE_REVIEW and power.version == 3


def test_concurrent_writers_never_fork_the_log_chain(org):
    powers = [PowerFactory(department=org.dept, division=org.division) for _ in range(8)]
    results = _run_parallel(
        *[(lambda p=p: review_submit(user=org.clerk, obj=Power.objects.get(pk=p.pk))) for p in powers]
    )
    assert all(r[0] == "ok" for r in results)
    (result,) = operation_record_verify(chain="region:210000", full=True)
    assert result.ok and result.count == 8
    assert sorted(ReviewLogEntry.objects.filter(chain="region:210000").values_list("seq", flat=True)) == list(
        range(1, 9))
