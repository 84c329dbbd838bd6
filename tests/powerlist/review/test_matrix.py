"""The review flows against a matrix written out by hand.

Nothing here is derived from the tables under test: the expected cells, comment rules
and batch actions are typed in below from the policy (DOMAIN.md: 部门 → 领导小组办公室 →
编委办会同法制办). A wrong table — a clerk allowed to approve, confirmations not cleared on
return, a return without a comment — fails here.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from powerlist.models import Power, ReviewAction, ReviewLogEntry, ReviewState
from powerlist.org.roles import Role
from powerlist.review.engine import flow_apply
from powerlist.review.flows import REVIEW_WITH_FINAL, REVIEW_WITHOUT_FINAL
from riskpoints.models import RiskPoint
from tests.powerlist.factories import PowerFactory

S, A, R = ReviewState, ReviewAction, Role

# (state, action, role) → the state the item is in afterwards. Every other cell is refused.
WITH_FINAL = {
    (S.DRAFT, A.SUBMIT, R.CLERK): S.DEPARTMENT_REVIEW,
    (S.DEPARTMENT_REVIEW, A.WITHDRAW, R.CLERK): S.DRAFT,
    (S.DEPARTMENT_REVIEW, A.APPROVE, R.DEPARTMENT_REVIEWER): S.OFFICE_REVIEW,
    (S.DEPARTMENT_REVIEW, A.RETURN, R.DEPARTMENT_REVIEWER): S.DRAFT,
    (S.OFFICE_REVIEW, A.APPROVE, R.OFFICE_REVIEWER): S.FINAL_REVIEW,
    (S.OFFICE_REVIEW, A.RETURN, R.OFFICE_REVIEWER): S.DRAFT,
    # The first of the two final confirmations leaves the item waiting for the other.
    (S.FINAL_REVIEW, A.CONFIRM_ESTABLISHMENT, R.ESTABLISHMENT_CONFIRMER): S.FINAL_REVIEW,
    (S.FINAL_REVIEW, A.CONFIRM_LEGAL, R.LEGAL_CONFIRMER): S.FINAL_REVIEW,
    (S.FINAL_REVIEW, A.RETURN, R.ESTABLISHMENT_CONFIRMER): S.DRAFT,
    (S.FINAL_REVIEW, A.RETURN, R.LEGAL_CONFIRMER): S.DRAFT,
    (S.CONFIRMED, A.REVISE, R.CLERK): S.DRAFT,
}
WITHOUT_FINAL = {
    (S.DRAFT, A.SUBMIT, R.CLERK): S.DEPARTMENT_REVIEW,
    (S.DEPARTMENT_REVIEW, A.WITHDRAW, R.CLERK): S.DRAFT,
    (S.DEPARTMENT_REVIEW, A.APPROVE, R.DEPARTMENT_REVIEWER): S.OFFICE_REVIEW,
    (S.DEPARTMENT_REVIEW, A.RETURN, R.DEPARTMENT_REVIEWER): S.DRAFT,
    (S.OFFICE_REVIEW, A.APPROVE, R.OFFICE_REVIEWER): S.CONFIRMED,
    (S.OFFICE_REVIEW, A.RETURN, R.OFFICE_REVIEWER): S.DRAFT,
    (S.CONFIRMED, A.REVISE, R.CLERK): S.DRAFT,
}
# Which actions take a comment: required to return, optional to pass on, none otherwise.
COMMENT = {
    A.SUBMIT: "none", A.WITHDRAW: "none", A.REVISE: "none",
    A.APPROVE: "optional", A.CONFIRM_ESTABLISHMENT: "optional", A.CONFIRM_LEGAL: "optional",
    A.RETURN: "required",
}
# What each role may do to many ticked items at once (the workspace's batch buttons).
BATCH_WITH_FINAL = {
    R.CLERK: [A.SUBMIT],
    R.DEPARTMENT_REVIEWER: [A.APPROVE, A.RETURN],
    R.OFFICE_REVIEWER: [A.APPROVE, A.RETURN],
    R.ESTABLISHMENT_CONFIRMER: [A.CONFIRM_ESTABLISHMENT, A.RETURN],
    R.LEGAL_CONFIRMER: [A.CONFIRM_LEGAL, A.RETURN],
    R.EXPERT: [], R.SUPERVISOR: [], R.ADMINISTRATOR: [],
}
# The queue of each role: the states in which an item waits for it.
QUEUE_STATES_WITH_FINAL = {
    R.CLERK: {S.DRAFT},
    R.DEPARTMENT_REVIEWER: {S.DEPARTMENT_REVIEW},
    R.OFFICE_REVIEWER: {S.OFFICE_REVIEW},
    R.ESTABLISHMENT_CONFIRMER: {S.FINAL_REVIEW},
    R.LEGAL_CONFIRMER: {S.FINAL_REVIEW},
    R.EXPERT: set(), R.SUPERVISOR: set(), R.ADMINISTRATOR: set(),
}

ACTIONS = [a for a in A if a != A.CREATE]
# The in-scope holder of each role in the `org` fixture (tests/conftest.py).
IN_SCOPE = {
    R.CLERK: "clerk", R.DEPARTMENT_REVIEWER: "dept_reviewer", R.OFFICE_REVIEWER: "office_reviewer",
    R.ESTABLISHMENT_CONFIRMER: "establishment", R.LEGAL_CONFIRMER: "legal", R.EXPERT: "expert",
    R.SUPERVISOR: "supervisor", R.ADMINISTRATOR: "admin",
}
# Holders of the acting roles outside the item's department or region: none of them may
# even read a draft of another department or region, so every action is a 404.
OUT_OF_SCOPE = {
    R.CLERK: "other_clerk", R.DEPARTMENT_REVIEWER: "other_reviewer", R.OFFICE_REVIEWER: "city_office_reviewer",
    R.ESTABLISHMENT_CONFIRMER: "city_establishment", R.LEGAL_CONFIRMER: "city_legal",
}
# Roles that may read a province department's power at all (experts read only what they
# were assigned; risk points, not powers).
READS_POWER = {R.CLERK, R.DEPARTMENT_REVIEWER, R.OFFICE_REVIEWER, R.ESTABLISHMENT_CONFIRMER,
               R.LEGAL_CONFIRMER, R.SUPERVISOR, R.ADMINISTRATOR}


def _power_in(state, org):
    power = PowerFactory(department=org.dept, division=org.division)
    Power.objects.filter(pk=power.pk).update(state=state)
    power.refresh_from_db()
    return power


@pytest.mark.parametrize(("flow", "expected"), [(REVIEW_WITH_FINAL, WITH_FINAL),
                                                (REVIEW_WITHOUT_FINAL, WITHOUT_FINAL)],
                         ids=["with_final", "without_final"])
def test_table_allows_exactly_the_hand_written_cells(flow, expected):
    allowed = {}
    for state in S:
        for action in ACTIONS:
            t = flow.find(state, action)
            for role in (t.roles if t else ()):
                allowed[(state, action, role)] = t
    assert set(allowed) == set(expected)


@pytest.mark.parametrize("flow", [REVIEW_WITH_FINAL, REVIEW_WITHOUT_FINAL], ids=["with_final", "without_final"])
def test_comment_rules_are_the_hand_written_ones(flow):
    for t in flow.transitions:
        assert t.comment == COMMENT[t.action], (t.source, t.action)


def test_batch_actions_per_role_are_the_hand_written_ones():
    assert {role: REVIEW_WITH_FINAL.batch_actions(role) for role in R} == BATCH_WITH_FINAL


def test_queue_states_per_role_are_the_hand_written_ones():
    got = {role: {state for state, _slot in REVIEW_WITH_FINAL.waiting_for(role)} for role in R}
    assert got == QUEUE_STATES_WITH_FINAL


def _take(action, user, obj):
    return flow_apply(user=user, obj=obj, action=action, comment="请补充法律依据条文。")


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(R))
def test_engine_cell_in_scope(org, state, action, role):
    power = _power_in(state, org)
    user = getattr(org, IN_SCOPE[role])
    before = ReviewLogEntry.objects.count()
    key = (state, action, role)
    if key in WITH_FINAL:
        result = _take(action, user, power)
        assert result.state == WITH_FINAL[key]
        entry = ReviewLogEntry.objects.latest("created_at", "id")
        assert (entry.action, entry.from_state, entry.to_state, entry.actor_role) == (
            action, state, WITH_FINAL[key], role)
        assert ReviewLogEntry.objects.count() == before + 1
        return
    expected_error = PermissionDenied if role in READS_POWER else Http404
    with pytest.raises(expected_error) as exc:
        _take(action, user, power)
    assert str(exc.value)
    power.refresh_from_db()
    assert power.state == state
    assert ReviewLogEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("cell", sorted(WITH_FINAL), ids=lambda c: "-".join(c))
def test_engine_cell_outside_scope_is_not_found(org, cell):
    state, action, role = cell
    power = _power_in(state, org)
    with pytest.raises(Http404):
        _take(action, getattr(org, OUT_OF_SCOPE[role]), power)
    power.refresh_from_db()
    assert (power.state, power.version) == (state, 1)


@pytest.mark.django_db
def test_return_without_comment_is_refused_at_every_stage(org):
    for state, role in ((S.DEPARTMENT_REVIEW, "dept_reviewer"), (S.OFFICE_REVIEW, "office_reviewer"),
                        (S.FINAL_REVIEW, "legal")):
        power = _power_in(state, org)
        with pytest.raises(ValidationError, match="意见"):
            flow_apply(user=getattr(org, role), obj=power, action=A.RETURN, comment="   ")
        power.refresh_from_db()
        assert power.state == state


@pytest.mark.django_db
def test_return_clears_the_confirmations_so_both_offices_confirm_again(org):
    power = _power_in(S.FINAL_REVIEW, org)
    power = flow_apply(user=org.establishment, obj=power, action=A.CONFIRM_ESTABLISHMENT)
    assert power.establishment_confirmed_by == org.establishment
    power = flow_apply(user=org.legal, obj=power, action=A.RETURN, comment="流程图缺少监督环节")
    assert (power.state, power.establishment_confirmed_by, power.legal_confirmed_by) == (S.DRAFT, None, None)
    for action, user in ((A.SUBMIT, org.clerk), (A.APPROVE, org.dept_reviewer), (A.APPROVE, org.office_reviewer)):
        power = flow_apply(user=user, obj=power, action=action)
    power = flow_apply(user=org.legal, obj=power, action=A.CONFIRM_LEGAL)
    assert power.state == S.FINAL_REVIEW  # the establishment office's earlier yes no longer counts
    power = flow_apply(user=org.establishment, obj=power, action=A.CONFIRM_ESTABLISHMENT)
    assert power.state == S.CONFIRMED


@pytest.mark.django_db
def test_risk_points_use_the_flow_without_final_confirmation():
    assert RiskPoint.flow is REVIEW_WITHOUT_FINAL
    assert Power.flow is REVIEW_WITH_FINAL
