"""The test settings: the portal's own, plus the test-only flows of tests/flowtest."""

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
