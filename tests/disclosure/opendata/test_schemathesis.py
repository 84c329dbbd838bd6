"""Schemathesis against the open data's own schema (/api/open/schema/), as the public
sees it: no credentials. Same checks as tests/test_schemathesis.py (no 5xx, documented
status codes, content types and bodies); bounded by SCHEMATHESIS_SECONDS (default 30 here)."""

import os
import time

import pytest
import schemathesis
from schemathesis.generation.modes import GenerationMode

from tests.test_schemathesis import _run, wsgi_in_test_transaction  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
SECONDS = float(os.environ.get("SCHEMATHESIS_SECONDS", "30"))


def test_the_open_data_api_keeps_to_its_public_schema(published, wsgi_in_test_transaction):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/open/schema/?format=json", wsgi_in_test_transaction)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    deadline = time.monotonic() + SECONDS
    failures, counter = [], []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode, {}, failures, counter, deadline)
    assert counter, "no request was sent"
    assert not failures, f"{len(failures)} failing checks in {len(counter)} requests:\n" + "\n".join(failures[:30])
