import pytest

from powerlist.org.roles import Role
from supervision.clock import calendar_cache_invalidate
from supervision.services.calendar import calendar_seed_from_library
from tests.powerlist.factories import make_user


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test's database is rolled back, but the clock's per-process cache is not."""
    calendar_cache_invalidate()
    yield
    calendar_cache_invalidate()


@pytest.fixture
def calendar_2026(db):
    """2025 and 2026 as chinesecalendar has them, loaded by the seeding service."""
    calendar_seed_from_library(years=[2025, 2026])


@pytest.fixture
def calendar_admin(org):
    """An administrator by role only (not a superuser)."""
    return make_user(Role.ADMINISTRATOR, org.office, username="calendar_admin")
