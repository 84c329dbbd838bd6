"""The test settings: the portal's own, plus the test-only flows of tests/flowtest."""

import os
import urllib.parse

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.flowtest"]  # noqa: F405

# A fixed key for the complainants' identities in tests (production reads it from the
# environment; check --deploy demands it).
COMPLAINT_IDENTITY_KEY = "tests-only-key-tests-only-key-tests-only-k0="

# A replica alias that mirrors the test database, for the read-replica routing tests
# (tests/disclosure/opendata/test_routing.py). Routing stays off (DATABASE_REPLICA_ALIAS
# None) unless a test switches it on.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# Publishing renders its PDFs (WeasyPrint, ~1 s a file); only the PDF tests, which switch
# it on, pay for that (tests/disclosure/test_pdf*.py).
DISCLOSURE_PDF_RENDER_ON_PUBLISH = False
# Likewise the open-data files (CSV, XLSX, JSON of the publication and the province, ~1 s):
# only tests/disclosure/opendata/ and the canary crawls switch it on.
OPENDATA_BUILD_ON_PUBLISH = False

# Parallel runs (pytest-xdist, `make test` runs -n auto): pytest-django gives each worker
# process its own test database (test_<name>_gw1, ...); Redis gets the same here. Worker gwN
# moves every Redis database the suite uses (REDIS_URL: broker and page cache; TEST_REDIS_URL
# and TEST_CELERY_REDIS_URL: the real-worker tests) down by 3*N, so two processes never share
# a cache, a queue or a flushdb. The Makefile caps the workers at 4, which keeps the
# databases apart (CI: gw0 uses 14/15/10, gw1 11/12/7).
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_redis_url(url, worker=_XDIST_WORKER):
    """The Redis URL `url` moved to this worker's database (unchanged outside xdist / gw0)."""
    if not url or not worker.startswith("gw") or worker == "gw0":
        return url
    parts = urllib.parse.urlsplit(url)
    db = int(parts.path.strip("/") or 0)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{(db - 3 * int(worker[2:])) % 16}"))


# Once per worker: a process the worker starts (a Celery worker for the PDF tests) inherits
# the moved URLs and PYTEST_XDIST_WORKER, and must not move them again.
if os.environ.get("PORTAL_TEST_REDIS_MOVED_FOR") != _XDIST_WORKER:
    os.environ["PORTAL_TEST_REDIS_MOVED_FOR"] = _XDIST_WORKER
    for _name, _default in (("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
                            ("TEST_CELERY_REDIS_URL", "redis://127.0.0.1:6379/10")):
        os.environ[_name] = _worker_redis_url(os.environ.get(_name, _default))
    if REDIS_URL:  # noqa: F405
        REDIS_URL = _worker_redis_url(REDIS_URL)  # noqa: F405
        CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
        CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
