"""Each scope rule is written once as a predicate (powerlist.org.permissions) and once as
its SQL twin (powerlist.review.selectors.role_scope_q, powerlist.org.selectors); both
must give the hand-written answer below, for every user × item.

Items (flowcharts, whose division may be empty): the power flowcharts "investment" and
"price" in the two divisions of 发展改革委, "no_division" that department's category
flowchart (no division), "finance" a power flowchart of 财政厅, "city" one of
沈阳市发展改革委. Users: the conftest `org` fixture plus a clerk of 发展改革委 without a
division ("dept_clerk") and a stand-in: 财政厅's reviewer acting for 发展改革委."""

import pytest
from guardian.shortcuts import assign_perm

from powerlist.models import Flowchart, User
from powerlist.org.permissions import acts_as, can_create_in, has_workspace_role, role_in_scope
from powerlist.org.roles import Role
from powerlist.review.selectors import role_scope_q
from tests.powerlist.factories import CategoryFactory, PowerFactory, make_user

pytestmark = pytest.mark.django_db

ITEMS = ("investment", "price", "no_division", "finance", "city")

# (user, role) -> the items that role, held by that user, acts on. By hand.
SCOPE = {
    ("clerk", Role.CLERK): {"investment", "no_division"},
    ("dept_clerk", Role.CLERK): {"investment", "price", "no_division"},
    ("other_clerk", Role.CLERK): {"finance"},
    ("city_clerk", Role.CLERK): {"city"},
    ("clerk", Role.DEPARTMENT_REVIEWER): set(),
    ("dept_reviewer", Role.DEPARTMENT_REVIEWER): {"investment", "price", "no_division"},
    ("other_reviewer", Role.DEPARTMENT_REVIEWER): {"investment", "price", "no_division", "finance"},
    ("other_reviewer", Role.CLERK): set(),
    ("city_reviewer", Role.DEPARTMENT_REVIEWER): {"city"},
    ("office_reviewer", Role.OFFICE_REVIEWER): {"investment", "price", "no_division", "finance"},
    ("office_reviewer", Role.CLERK): set(),
    ("city_office_reviewer", Role.OFFICE_REVIEWER): {"city"},
    ("supervisor", Role.SUPERVISOR): {"investment", "price", "no_division", "finance"},
    ("expert", Role.EXPERT): set(),
}

# (user, item's department, item's division) -> may create it there. By hand.
CREATE = [
    ("clerk", "dept", "division", True),
    ("clerk", "dept", None, True),
    ("clerk", "dept", "other_division", False),
    ("dept_clerk", "dept", "other_division", True),
    ("clerk", "other_dept", None, False),
    ("dept_reviewer", "dept", None, False),
    ("other_reviewer", "dept", None, False),  # a stand-in reviews, never creates
]

# user -> the workspace roles the user may act in (assignment or stand-in). By hand.
ACTS_AS = {
    "clerk": {Role.CLERK},
    "dept_clerk": {Role.CLERK},
    "other_reviewer": {Role.DEPARTMENT_REVIEWER},
    "office_reviewer": {Role.OFFICE_REVIEWER},
    "expert": {Role.EXPERT},
}


@pytest.fixture
def scene(org):
    make_user(Role.CLERK, org.dept, username="dept_clerk")
    assign_perm("powerlist.act_as_department_reviewer", org.other_reviewer, org.dept)
    category = CategoryFactory()

    def chart(department, division):
        power = PowerFactory(department=department, division=division, category=category) if division else None
        return Flowchart.objects.create(
            kind=Flowchart.Kind.POWER if power else Flowchart.Kind.CATEGORY, region_id=department.region_id,
            department=department, category=category, power=power, division=division, title="流程图",
        )

    items = {
        "investment": chart(org.dept, org.division),
        "price": chart(org.dept, org.other_division),
        "no_division": chart(org.dept, None),
        "finance": chart(org.other_dept, org.other_dept_division),
        "city": chart(org.city_dept, org.city_division),
    }
    users = {u.username: u for u in User.objects.all()}
    return org, users, items


@pytest.mark.parametrize(("username", "role"), list(SCOPE))
def test_predicate_and_sql_twin_agree_with_the_table(scene, username, role):
    _org, users, items = scene
    user = users[username]
    by_predicate = {name for name, item in items.items() if role_in_scope(user, role, item)}
    pk_to_name = {item.pk: name for name, item in items.items()}
    by_sql = {pk_to_name[pk] for pk in Flowchart.objects.filter(role_scope_q(user, role, model=Flowchart))
              .values_list("pk", flat=True)}
    assert by_predicate == SCOPE[(username, role)]
    assert by_sql == SCOPE[(username, role)]


@pytest.mark.parametrize(("username", "department", "division", "expected"), CREATE)
def test_create_follows_the_division_rule(scene, username, department, division, expected):
    org, users, _items = scene
    division_id = getattr(org, division).pk if division else None
    assert bool(can_create_in(users[username], getattr(org, department), division_id=division_id)) is expected


@pytest.mark.parametrize("username", list(ACTS_AS))
def test_acts_as_and_workspace_role_follow_the_stand_in_rule(scene, username):
    _org, users, _items = scene
    user = users[username]
    assert {role for role in Role if acts_as(user, role)} == ACTS_AS[username]
    assert {role for role in Role if has_workspace_role(user, role)} == ACTS_AS[username]
