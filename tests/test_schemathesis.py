"""Schemathesis against /api/schema/, in process (the WSGI app), with a clerk's and an
office reviewer's API token, on data built with factories (tests/sitemap.py).

Every operation of the schema gets SCHEMATHESIS_EXAMPLES generated requests per user
(default 4; positive and negative data), each checked for: no 5xx, a status code the
schema documents for that operation, the documented content type, and a body that
matches the documented response schema. Bounded in time: the whole run stops adding
examples after SCHEMATHESIS_SECONDS (default 90) and reports what it checked.
"""

import os
import time
import warnings

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.sitemap import Site

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))
SECONDS = float(os.environ.get("SCHEMATHESIS_SECONDS", "90"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Found by this test and owned elsewhere: reported (a warning), not failed, until fixed.
# Remove an entry when its fix lands.
KNOWN_OPEN = {}


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI app must not close the test's connection (Django's
    test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _operations(app, headers):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers=headers)
    return [result.ok() for result in schema.get_all_operations()]


def _summary(exc):
    """The failure's title and the request to reproduce it."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    keep = [line for line in lines if not line.startswith(("`{", "Reproduce", "[", "(")) or line.startswith("curl")]
    return " | ".join(keep or lines)[:900]


def _run(operation, mode, headers, failures, counter, deadline):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def probe(case):
        if time.monotonic() > deadline:
            return
        counter.append(1)
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{operation.label} [{mode}]: {_summary(exc)}")

    try:
        probe()
    except Unsatisfiable:  # no negative data exists for this operation (nothing to break)
        pass


def test_the_api_keeps_to_its_schema_for_a_clerk_and_an_office_reviewer(org, wsgi_in_test_transaction):
    Site(org)
    deadline = time.monotonic() + SECONDS
    failures, counter = [], []
    for user in (org.clerk, org.office_reviewer):
        headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
        for operation in _operations(wsgi_in_test_transaction, headers):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _run(operation, mode, headers, failures, counter, deadline)
    assert counter, "no request was sent"
    known = [f for f in failures if f.split(" [")[0] in KNOWN_OPEN]
    for label in sorted({f.split(" [")[0] for f in known}):
        warnings.warn(f"known open schema failure, {label}: {KNOWN_OPEN[label]}", stacklevel=1)
    failures = [f for f in failures if f not in known]
    assert not failures, f"{len(failures)} failing checks in {len(counter)} requests:\n" + "\n".join(failures[:30])
