"""user_ids_acting_as: the same scope rules as role_in_scope, in one query.

The expected table is written out by hand from the conftest `org` fixture plus four
users added here; a second test checks the same cells against role_in_scope."""

from types import SimpleNamespace

import pytest
from guardian.shortcuts import assign_perm

from powerlist.org.selectors import user_ids_acting_as
from powerlist.org.models import User
from powerlist.org.permissions import role_in_scope
from powerlist.org.roles import Role
from tests.powerlist.factories import PowerFactory, make_user

pytestmark = pytest.mark.django_db

PROVINCE_ITEMS = ("investment", "price", "no_division", "finance")
ITEMS = (*PROVINCE_ITEMS, "city")

# (role, item) -> usernames, by hand. "investment" and "price" are items of the two
# divisions of 发展改革委, "no_division" an item of that department without a division,
# "finance" an item of 财政厅, "city" one of 沈阳市发展改革委.
EXPECTED = {
    (Role.CLERK, "investment"): {"clerk", "dept_clerk"},
    (Role.CLERK, "price"): {"price_clerk", "dept_clerk"},
    (Role.CLERK, "no_division"): {"clerk", "price_clerk", "dept_clerk"},
    (Role.CLERK, "finance"): {"other_clerk", "stand_in_clerk"},
    (Role.CLERK, "city"): {"city_clerk"},
    (Role.DEPARTMENT_REVIEWER, "investment"): {"dept_reviewer", "other_reviewer"},
    (Role.DEPARTMENT_REVIEWER, "price"): {"dept_reviewer", "other_reviewer"},
    (Role.DEPARTMENT_REVIEWER, "no_division"): {"dept_reviewer", "other_reviewer"},
    (Role.DEPARTMENT_REVIEWER, "finance"): {"other_reviewer"},
    (Role.DEPARTMENT_REVIEWER, "city"): {"city_reviewer", "stand_in_clerk"},
    **{(Role.OFFICE_REVIEWER, item): {"office_reviewer"} for item in PROVINCE_ITEMS},
    (Role.OFFICE_REVIEWER, "city"): {"city_office_reviewer"},
    **{(Role.ESTABLISHMENT_CONFIRMER, item): {"establishment"} for item in PROVINCE_ITEMS},
    (Role.ESTABLISHMENT_CONFIRMER, "city"): {"city_establishment"},
    **{(Role.LEGAL_CONFIRMER, item): {"legal"} for item in PROVINCE_ITEMS},
    (Role.LEGAL_CONFIRMER, "city"): {"city_legal"},
    **{(Role.SUPERVISOR, item): {"supervisor"} for item in PROVINCE_ITEMS},
    (Role.SUPERVISOR, "city"): set(),
    **{(Role.EXPERT, item): set() for item in ITEMS},
    **{(Role.ADMINISTRATOR, item): set() for item in ITEMS},
}


@pytest.fixture
def scene(org):
    # A clerk without a division sees the whole department; one in the other division.
    make_user(Role.CLERK, org.dept, username="dept_clerk")
    make_user(Role.CLERK, org.dept, division=org.other_division, username="price_clerk")
    # Inactive users are never recipients.
    make_user(Role.CLERK, org.dept, division=org.division, username="inactive_clerk", is_active=False)
    make_user(Role.DEPARTMENT_REVIEWER, org.dept, username="inactive_reviewer", is_active=False)
    # Stand-ins: 财政厅's reviewer acts for 发展改革委; a clerk of 财政厅 (no reviewer
    # role at all) acts for the city department.
    assign_perm("powerlist.act_as_department_reviewer", org.other_reviewer, org.dept)
    stand_in_clerk = make_user(Role.CLERK, org.other_dept, username="stand_in_clerk")
    assign_perm("powerlist.act_as_department_reviewer", stand_in_clerk, org.city_dept)
    items = {
        "investment": PowerFactory(department=org.dept, division=org.division),
        "price": PowerFactory(department=org.dept, division=org.other_division),
        # A power always has a division; other items (a department-wide flowchart) may not.
        "no_division": SimpleNamespace(region_id=org.province.pk, department_id=org.dept.pk, division_id=None),
        "finance": PowerFactory(department=org.other_dept, division=org.other_dept_division),
        "city": PowerFactory(department=org.city_dept, division=org.city_division),
    }
    return items


def _usernames(ids):
    return set(User.objects.filter(pk__in=ids).values_list("username", flat=True))


@pytest.mark.parametrize("role, item", sorted(EXPECTED))
def test_recipients_match_the_hand_written_table(scene, role, item, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        ids = user_ids_acting_as(role=role, obj=scene[item])
    assert _usernames(ids) == EXPECTED[(role, item)]
    assert ids == sorted(set(ids))


def test_every_role_and_item_is_in_the_table():
    assert {(r, i) for r in Role for i in ITEMS} == set(EXPECTED)


@pytest.mark.parametrize("role", list(Role))
def test_recipients_agree_with_role_in_scope(scene, role):
    users = list(User.objects.filter(is_active=True))
    for item, obj in scene.items():
        expected = {u.pk for u in users if role_in_scope(u, role, obj)}
        assert set(user_ids_acting_as(role=role, obj=obj)) == expected, item


def test_an_item_without_department_or_region_has_no_recipients(scene):
    class Orphan:
        department_id = None
        division_id = None
        region_id = None

    make_user(Role.CLERK, None, username="clerk_without_department")
    for role in Role:
        assert user_ids_acting_as(role=role, obj=Orphan()) == []
