"""A real Celery worker (a thread of the project's app) on Redis runs a task against the
database the test wrote: the path production takes, not the eager shortcut.

Redis comes from TEST_REDIS_URL (default redis://127.0.0.1:6379/15, a database of its
own). Without Redis the tests skip with the reason, except in CI (CI=true), where they fail.
"""

import os

import pytest
from django.db import connections

from config import celery_app
from powerlist.review.tasks import verify_operation_record
from powerlist.models import ReviewLogEntry
from tests.powerlist.factories import LegalBasisFactory, PowerFactory
from tests.powerlist.helpers import confirm

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RESULT_TIMEOUT = 30
# A queue of this process's own: parallel test processes (pytest-xdist) share the Redis
# database, and each worker must run only the tasks its own test sent.
QUEUE = f"test-worker-{os.getpid()}"

pytestmark = [
    pytest.mark.worker,
    # celery's Redis backend calls redis-py's deprecated setex; not ours to fix.
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        reason = f"Redis not reachable at {TEST_REDIS_URL}: {exc}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason} (CI=true: the worker test must run in CI)", pytrace=False)
        pytest.skip(reason)


def _reset_connections(app):
    """Forget the broker pool and result backend built from the previous configuration."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    pools.reset()  # kombu caches producer pools per broker URL, across apps
    app._local.__dict__.pop("backend", None)


def _close_db_connections(**_kwargs):
    # The worker thread opens its own database connection; close it after each task so
    # the test database can be flushed and dropped (PostgreSQL refuses with open sessions).
    connections.close_all()


@pytest.fixture
def worker(settings):
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    _redis_or_skip()
    saved = {key: celery_app.conf[key]
             for key in ("broker_url", "result_backend", "task_always_eager", "result_expires")}
    celery_app.conf.update(broker_url=TEST_REDIS_URL, result_backend=TEST_REDIS_URL, task_always_eager=False,
                           result_expires=300)
    _reset_connections(celery_app)
    task_postrun.connect(_close_db_connections, weak=False)
    try:
        # perform_ping_check would need celery.contrib.testing's ping task registered in the app.
        with start_worker(celery_app, pool="solo", concurrency=1, perform_ping_check=False,
                          shutdown_timeout=10, queues=[QUEUE]) as controller:
            yield controller
    finally:
        task_postrun.disconnect(_close_db_connections)
        # start_worker(queues=...) narrows the app's consumed queues for good; widen them
        # again so a later worker in this process consumes the default queue.
        celery_app.amqp.queues._consume_from = None
        celery_app.conf.update(saved)
        _reset_connections(celery_app)
        _delete_queue()


def _delete_queue():
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.delete(QUEUE, *client.scan_iter(f"_kombu.binding*.{QUEUE}"))


@pytest.fixture
def review_history(org):
    """Two powers through the whole review chain: a dozen log entries."""
    for name in ("企业投资项目核准", "价格认定"):
        power = PowerFactory(department=org.dept, division=org.division, name=name)
        LegalBasisFactory(power=power)
        confirm(org, power)
    return ReviewLogEntry.objects.count()


@pytest.mark.django_db(transaction=True)
def test_worker_verifies_the_review_log(worker, review_history):
    result = verify_operation_record.apply_async(kwargs={"full": True}, queue=QUEUE)
    summary = result.get(timeout=RESULT_TIMEOUT)
    assert (summary["ok"], summary["entries"]) == (True, review_history)
    assert {"chain": "region:210000", "entries": review_history, "checked": review_history, "ok": True,
            "broken_seq": None, "reason": ""} in summary["chains"]
    assert result.backend.__class__.__name__ == "RedisBackend"  # not run eagerly in this process
    assert review_history >= 10


@pytest.mark.django_db(transaction=True)
def test_worker_reports_a_tampered_entry(worker, review_history):
    target = ReviewLogEntry.objects.get(chain="region:210000", seq=4)
    ReviewLogEntry.objects.filter(pk=target.pk).update(comment="事后篡改的意见")
    summary = verify_operation_record.apply_async(kwargs={"full": True}, queue=QUEUE).get(timeout=RESULT_TIMEOUT)
    assert summary["ok"] is False
    (chain,) = [c for c in summary["chains"] if not c["ok"]]
    assert (chain["chain"], chain["broken_seq"], chain["reason"]) == (
        "region:210000", 4, "content does not match its hash")
