"""Read scopes: the predicate and the SQL selector agree, role × inside/outside scope."""

import pytest
from guardian.shortcuts import assign_perm

from powerlist.catalogue.selectors import power_list
from powerlist.models import Power
from powerlist.org.permissions import can_edit_item, can_view_item
from tests.powerlist.factories import PowerFactory

# (user attribute, item key, may read)
CASES = [
    ("clerk", "own_draft", True),
    ("clerk", "other_dept_draft", False),
    ("dept_reviewer", "own_draft", True),
    ("other_reviewer", "own_draft", False),
    ("office_reviewer", "own_draft", True),
    ("office_reviewer", "city_draft", False),  # never another region's drafts
    ("office_reviewer", "city_submitted", True),  # the regions below, past draft
    ("city_office_reviewer", "own_submitted", False),  # never upwards
    ("city_office_reviewer", "city_draft", True),
    ("establishment", "own_submitted", True),
    ("expert", "own_submitted", False),
    ("supervisor", "own_submitted", True),
    ("admin", "city_draft", True),
    ("city_clerk", "own_submitted", False),
]


@pytest.fixture
def items(org):
    return {
        "own_draft": PowerFactory(department=org.dept, division=org.division),
        "own_submitted": PowerFactory(department=org.dept, division=org.division, state="office_review"),
        "other_dept_draft": PowerFactory(department=org.other_dept, division=org.other_dept_division),
        "city_draft": PowerFactory(department=org.city_dept, division=org.city_division),
        "city_submitted": PowerFactory(department=org.city_dept, division=org.city_division,
                                       state="department_review"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who, key, expected", CASES, ids=[f"{w}-{k}" for w, k, _ in CASES])
def test_read_scope_predicate_and_selector_agree(org, items, who, key, expected):
    user = getattr(org, who)
    item = Power.objects.select_related("region").get(pk=items[key].pk)
    decision = can_view_item(user, item)
    assert bool(decision) is expected
    if not expected:
        assert decision.reason
    assert power_list(user=user).filter(pk=item.pk).exists() is expected


@pytest.mark.django_db
def test_edit_only_by_clerk_of_the_division_while_draft(org, items):
    assert can_edit_item(org.clerk, items["own_draft"])
    refused = can_edit_item(org.clerk, items["own_submitted"])
    assert not refused and "不能编辑" in refused.reason
    assert not can_edit_item(org.dept_reviewer, items["own_draft"])
    assert not can_edit_item(org.other_clerk, items["own_draft"])
    other_division_item = PowerFactory(department=org.dept, division=org.other_division)
    assert not can_edit_item(org.clerk, other_division_item)


@pytest.mark.django_db
def test_the_list_starts_at_the_scope_and_still_reaches_every_readable_department(org, items):
    # power_list starts its department-ordered walk at the lowest department the user may
    # read (visible_department_floor). A stand-in reads a department before its own
    # (发展改革委 is created before 财政厅), an office the departments below its region.
    assert org.dept.pk < org.other_dept.pk
    assign_perm("powerlist.act_as_department_reviewer", org.other_reviewer, org.dept)
    other = PowerFactory(department=org.other_dept, division=org.other_dept_division)
    assert set(power_list(user=org.other_reviewer).values_list("pk", flat=True)) == {
        items["own_draft"].pk, items["own_submitted"].pk, items["other_dept_draft"].pk, other.pk}
    assert set(power_list(user=org.city_office_reviewer).values_list("pk", flat=True)) == {
        items["city_draft"].pk, items["city_submitted"].pk}
    assert set(power_list(user=org.office_reviewer).values_list("pk", flat=True)) == {
        items["own_draft"].pk, items["own_submitted"].pk, items["other_dept_draft"].pk, other.pk,
        items["city_submitted"].pk}
