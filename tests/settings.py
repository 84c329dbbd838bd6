"""The test settings: the portal's own, plus the test-only flows of tests/flowtest."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.flowtest"]  # noqa: F405
