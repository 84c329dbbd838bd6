"""The import through a real Celery worker on Redis (not eager): the job is queued on
commit, a worker thread picks it up and the job row shows the outcome."""

import os
import time

import pytest

from powerlist.catalogue.spreadsheets.imports import power_import_start
from powerlist.models import Job, Power
from tests.powerlist.spreadsheet_helpers import row, xlsx

REDIS = os.environ.get("TEST_CELERY_REDIS_URL", "redis://127.0.0.1:6379/10")

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_on_redis(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS}")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("a worker thread needs a database it can share (PostgreSQL)")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=REDIS, result_backend=REDIS)
    _drop_connections(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(saved)
        _drop_connections(app)


def _drop_connections(app):
    """Forget the broker connection pools made under the other settings (kombu keeps them
    in global registries), so publishing uses the broker configured now."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def _wait(job, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {job.state} after {seconds} s: {job.message}")


def test_import_runs_on_a_real_worker(org, celery_worker_on_redis):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from powerlist.catalogue.reference import ensure_categories
    from powerlist.models import Category

    ensure_categories(Category)
    content = xlsx([row(f"210000-FG-XK-{i:04d}") for i in range(450)])
    job = power_import_start(user=org.clerk, upload=SimpleUploadedFile("清单.xlsx", content))

    job = _wait(job)

    assert job.state == Job.State.SUCCEEDED, (job.message, job.result)
    assert (job.result["created"], job.total, job.progress) == (450, 450, 450)
    assert Power.objects.filter(department=org.dept).count() == 450
