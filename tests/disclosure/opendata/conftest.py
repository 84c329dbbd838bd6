import pytest


@pytest.fixture(autouse=True)
def _build_open_data_on_publish(settings):
    """The open-data tests read the files a publication builds (tests/settings.py turns
    the build off for everyone else)."""
    settings.OPENDATA_BUILD_ON_PUBLISH = True
