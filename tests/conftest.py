import io

import pytest

from powerlist.org.roles import Role
from tests.powerlist.factories import (
    CityFactory, DepartmentFactory, DivisionFactory, OfficeFactory, PowerFactory, RegionFactory, make_user,
)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.3 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Suites send thousands of API requests from one address; tests/test_security.py
    # switches throttling on where it measures it.
    settings.API_THROTTLE_ENABLED = False


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (zh-hans); a test that switches to English
    must not leak it into the next one (messages saved to the database would change)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process in tests, also where REDIS_URL is set (CI): the real-worker
    tests (tests/test_celery_worker.py, tests/powerlist/catalogue/test_import_worker.py) switch
    this off for themselves."""
    from config.celery import app

    saved = {k: app.conf[k] for k in ("task_always_eager", "task_eager_propagates")}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield
    app.conf.update(saved)


@pytest.fixture
def org(db):
    """A province with one ordinary department (two divisions) and its offices, plus a
    second department and a city with its own department and office: enough to test
    every role inside and outside its scope."""
    province = RegionFactory()
    city = CityFactory(parent=province, code="210100", name="沈阳市")
    dept = DepartmentFactory(region=province, name="发展改革委")
    division = DivisionFactory(department=dept, name="投资处")
    other_division = DivisionFactory(department=dept, name="价格处")
    other_dept = DepartmentFactory(region=province, name="财政厅")
    other_dept_division = DivisionFactory(department=other_dept, name="预算处")
    office = OfficeFactory(region=province, name="领导小组办公室")
    city_dept = DepartmentFactory(region=city, name="沈阳市发展改革委")
    city_division = DivisionFactory(department=city_dept, name="投资科")
    city_office = OfficeFactory(region=city, name="沈阳市领导小组办公室")

    class Org:
        pass

    o = Org()
    o.province, o.city, o.dept, o.division, o.other_division = province, city, dept, division, other_division
    o.other_dept, o.other_dept_division, o.office = other_dept, other_dept_division, office
    o.city_dept, o.city_division, o.city_office = city_dept, city_division, city_office
    o.clerk = make_user(Role.CLERK, dept, division=division, username="clerk")
    o.dept_reviewer = make_user(Role.DEPARTMENT_REVIEWER, dept, username="dept_reviewer")
    o.office_reviewer = make_user(Role.OFFICE_REVIEWER, office, username="office_reviewer")
    o.establishment = make_user(Role.ESTABLISHMENT_CONFIRMER, office, username="establishment")
    o.legal = make_user(Role.LEGAL_CONFIRMER, office, username="legal")
    o.expert = make_user(Role.EXPERT, office, username="expert")
    o.supervisor = make_user(Role.SUPERVISOR, office, username="supervisor")
    o.admin = make_user(Role.ADMINISTRATOR, office, username="admin", is_staff=True, is_superuser=True)
    o.other_clerk = make_user(Role.CLERK, other_dept, division=other_dept_division, username="other_clerk")
    o.other_reviewer = make_user(Role.DEPARTMENT_REVIEWER, other_dept, username="other_reviewer")
    o.city_clerk = make_user(Role.CLERK, city_dept, division=city_division, username="city_clerk")
    o.city_reviewer = make_user(Role.DEPARTMENT_REVIEWER, city_dept, username="city_reviewer")
    o.city_office_reviewer = make_user(Role.OFFICE_REVIEWER, city_office, username="city_office_reviewer")
    o.city_establishment = make_user(Role.ESTABLISHMENT_CONFIRMER, city_office, username="city_establishment")
    o.city_legal = make_user(Role.LEGAL_CONFIRMER, city_office, username="city_legal")
    return o


@pytest.fixture
def power(org):
    return PowerFactory(department=org.dept, division=org.division)


# The password seed_demo gives the demo accounts in tests that share one seed (demo_seeded).
DEMO_PASSWORD = "demo-pass-2026"


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for the tests of a module (~20 s a seed): the seed runs in an outer
    transaction, each test in its own savepoint inside it (the `db` fixture) and rolls back
    to the seeded state, and the whole seed rolls back after the module. The function-scoped
    settings above are applied here too, since they are not active yet at module scope."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import translation

    from config.celery import app

    saved = {k: app.conf[k] for k in ("task_always_eager", "task_eager_propagates")}
    app.conf.update(task_always_eager=True, task_eager_propagates=True)
    with (django_db_blocker.unblock(),
          override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
                            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                            API_THROTTLE_ENABLED=False),
          translation.override(settings.LANGUAGE_CODE)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", "--password", DEMO_PASSWORD, "--force", stdout=io.StringIO())
            yield DEMO_PASSWORD
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            app.conf.update(saved)
