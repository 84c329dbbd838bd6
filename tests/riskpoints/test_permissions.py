"""Who reads and edits risk points: every role, inside and outside scope, draft and submitted."""

import pytest

from powerlist.models import ReviewState
from riskpoints.permissions import (
    can_assign_experts,
    can_create_riskpoint,
    can_edit_riskpoint,
    can_view_coverage,
    can_view_riskpoint,
)
from riskpoints.selectors import expert_candidates, riskpoint_list
from riskpoints.services import riskpoint_assign_experts
from tests.riskpoints.factories import RiskPointFactory

pytestmark = pytest.mark.django_db

# username → (reads a draft, reads a submitted point)
READERS = {
    "clerk": (True, True), "dept_reviewer": (True, True), "office_reviewer": (True, True),
    "establishment": (True, True), "legal": (True, True), "supervisor": (True, True), "admin": (True, True),
    "expert": (False, False), "other_clerk": (False, False), "other_reviewer": (False, False),
    "city_clerk": (False, False), "city_office_reviewer": (False, False),
}


@pytest.mark.parametrize("username", sorted(READERS))
@pytest.mark.parametrize("state", [ReviewState.DRAFT, ReviewState.OFFICE_REVIEW])
def test_read_scope_matches_selector(org, power, username, state):
    rp = RiskPointFactory(power=power, state=state)
    user = getattr(org, username)
    expected = READERS[username][state != ReviewState.DRAFT]
    decision = can_view_riskpoint(user, rp)
    assert bool(decision) is expected
    if not expected:
        assert decision.reason
    assert riskpoint_list(user=user).filter(pk=rp.pk).exists() is expected


@pytest.mark.parametrize("username,allowed", [
    ("clerk", True), ("dept_reviewer", False), ("office_reviewer", False), ("other_clerk", False),
    ("city_clerk", False), ("expert", False),
])
def test_only_clerk_in_scope_creates_and_edits_drafts(org, power, username, allowed):
    user = getattr(org, username)
    assert bool(can_create_riskpoint(user, power)) is allowed
    assert bool(can_edit_riskpoint(user, RiskPointFactory(power=power))) is allowed
    assert not can_edit_riskpoint(user, RiskPointFactory(power=power, state=ReviewState.DEPARTMENT_REVIEW))


@pytest.mark.parametrize("username,allowed", [
    ("office_reviewer", True), ("city_office_reviewer", False), ("dept_reviewer", False), ("establishment", False),
])
def test_assigning_experts_is_the_office_reviewers_in_scope(org, power, username, allowed):
    rp = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    assert bool(can_assign_experts(getattr(org, username), rp)) is allowed


@pytest.mark.parametrize("username,allowed", [
    ("clerk", True), ("dept_reviewer", True), ("office_reviewer", True), ("supervisor", True),
    ("expert", False), ("establishment", False),
])
def test_coverage_readers(org, username, allowed):
    assert bool(can_view_coverage(getattr(org, username))) is allowed


def test_expert_candidates(org, power):
    rp = RiskPointFactory(power=power, state=ReviewState.OFFICE_REVIEW)
    candidates = set(expert_candidates(riskpoint=rp))
    assert {org.expert, org.other_reviewer} == candidates  # not the point's own department, not the city
    riskpoint_assign_experts(user=org.office_reviewer, riskpoint=rp, experts=[org.expert])
    assert set(expert_candidates(riskpoint=rp)) == {org.other_reviewer}
