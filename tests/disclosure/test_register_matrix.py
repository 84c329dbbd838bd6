"""The register's flows against a matrix written out by hand.

Expected cells are typed in from the policy (the department files, the leading-group
office reviews and records: 审核备案), not derived from the tables under test:
state × action × role → target, comment rules, batch actions and queue states, then
every cell run through the engine in scope and out of scope.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from powerlist.models import ReviewLogEntry
from powerlist.org.roles import Role
from powerlist.review.engine import flow_apply
from disclosure.register import (
    ADJUSTMENT_FLOW, NON_DISCLOSURE_FLOW, RETRACTION_FLOW, AdjustmentNote, NonDisclosure, RegisterAction,
    RegisterState, Retraction, RetractionAction, RetractionState,
)
from tests.powerlist.factories import PowerFactory

S, A, R = RegisterState, RegisterAction, Role

NON_DISCLOSURE = {
    (S.DRAFT, A.SUBMIT, R.CLERK): S.SUBMITTED,
    (S.RETURNED, A.SUBMIT, R.CLERK): S.SUBMITTED,
    (S.SUBMITTED, A.WITHDRAW, R.CLERK): S.DRAFT,
    (S.SUBMITTED, A.RECORD, R.OFFICE_REVIEWER): S.RECORDED,
    (S.SUBMITTED, A.RETURN, R.OFFICE_REVIEWER): S.RETURNED,
    (S.RECORDED, A.LAPSE, R.CLERK): S.LAPSED,
    (S.RECORDED, A.LAPSE, R.OFFICE_REVIEWER): S.LAPSED,
}
# An adjustment note is recorded for good: no lapse.
ADJUSTMENT = {
    (S.DRAFT, A.SUBMIT, R.CLERK): S.SUBMITTED,
    (S.RETURNED, A.SUBMIT, R.CLERK): S.SUBMITTED,
    (S.SUBMITTED, A.WITHDRAW, R.CLERK): S.DRAFT,
    (S.SUBMITTED, A.RECORD, R.OFFICE_REVIEWER): S.RECORDED,
    (S.SUBMITTED, A.RETURN, R.OFFICE_REVIEWER): S.RETURNED,
}
RETRACTION = {
    (RetractionState.DRAFT, RetractionAction.RETRACT, R.OFFICE_REVIEWER): RetractionState.RETRACTED,
}
COMMENT = {A.SUBMIT: "none", A.WITHDRAW: "none", A.RECORD: "optional", A.RETURN: "required", A.LAPSE: "required"}
BATCH = {R.CLERK: [A.SUBMIT], R.OFFICE_REVIEWER: [A.RECORD, A.RETURN]}
QUEUES = {R.CLERK: {S.DRAFT, S.RETURNED}, R.OFFICE_REVIEWER: {S.SUBMITTED}}

IN_SCOPE = {
    R.CLERK: "clerk", R.DEPARTMENT_REVIEWER: "dept_reviewer", R.OFFICE_REVIEWER: "office_reviewer",
    R.ESTABLISHMENT_CONFIRMER: "establishment", R.LEGAL_CONFIRMER: "legal", R.EXPERT: "expert",
    R.SUPERVISOR: "supervisor", R.ADMINISTRATOR: "admin",
}
OUT_OF_SCOPE = {R.CLERK: "other_clerk", R.OFFICE_REVIEWER: "city_office_reviewer"}
# Who may read an entry of the province department at all (the rest get 404).
READS = {R.CLERK, R.DEPARTMENT_REVIEWER, R.OFFICE_REVIEWER, R.ESTABLISHMENT_CONFIRMER, R.LEGAL_CONFIRMER,
         R.SUPERVISOR, R.ADMINISTRATOR}


def _cells(flow):
    return {(t.source, t.action, role): t.target for t in flow.transitions for role in t.roles}


@pytest.mark.parametrize(("flow", "expected"), [(NON_DISCLOSURE_FLOW, NON_DISCLOSURE), (ADJUSTMENT_FLOW, ADJUSTMENT),
                                                (RETRACTION_FLOW, RETRACTION)], ids=["nd", "adjustment", "retraction"])
def test_tables_allow_exactly_the_hand_written_cells(flow, expected):
    assert _cells(flow) == expected


@pytest.mark.parametrize("flow", [NON_DISCLOSURE_FLOW, ADJUSTMENT_FLOW], ids=["nd", "adjustment"])
def test_comment_rules_batch_actions_and_queues_are_the_hand_written_ones(flow):
    for t in flow.transitions:
        assert t.comment == COMMENT[t.action], (t.source, t.action)
    assert {role: flow.batch_actions(role) for role in BATCH} == BATCH
    assert {role: {s for s, _slot in flow.waiting_for(role)} for role in QUEUES} == QUEUES
    for role in set(R) - set(BATCH):
        assert flow.batch_actions(role) == [] and flow.waiting_for(role) == []


def _entry(org, state, model=NonDisclosure):
    if model is NonDisclosure:
        power = PowerFactory(department=org.dept, division=org.division)
        obj = NonDisclosure.objects.create(power=power, region=org.province, department=org.dept,
                                           division=org.division, ground="state_secret", legal_basis="《保密法》第九条",
                                           reason="涉密。", created_by=org.clerk)
    else:
        obj = AdjustmentNote.objects.create(region=org.province, department=org.dept, title="机构改革职能调整",
                                            reason="职责划转。", ground="机构改革方案", effective_date="2026-12-01")
    model.objects.filter(pk=obj.pk).update(state=state)
    obj.refresh_from_db()
    return obj


CELLS = [(model, state, action, role) for model in (NonDisclosure, AdjustmentNote) for state in S
         for action in A for role in R]


@pytest.mark.django_db
@pytest.mark.parametrize("cell", CELLS, ids=lambda c: f"{c[0].__name__}-{c[1]}-{c[2]}-{c[3]}")
def test_engine_cell_in_scope(org, cell):
    model, state, action, role = cell
    expected = (NON_DISCLOSURE if model is NonDisclosure else ADJUSTMENT).get((state, action, role))
    obj = _entry(org, state, model)
    before = ReviewLogEntry.objects.count()
    user = getattr(org, IN_SCOPE[role])
    if expected is not None:
        result = flow_apply(user=user, obj=obj, action=action, comment="依据充分。")
        assert result.state == expected
        entry = ReviewLogEntry.objects.latest("created_at", "id")
        assert (entry.action, entry.from_state, entry.to_state, entry.actor_role) == (action, state, expected, role)
        return
    # An office role reads a draft of its own region; nobody else outside the department does.
    with pytest.raises(PermissionDenied if role in READS else Http404):
        flow_apply(user=user, obj=obj, action=action, comment="依据充分。")
    obj.refresh_from_db()
    assert obj.state == state and ReviewLogEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("cell", sorted(NON_DISCLOSURE), ids=lambda c: "-".join(c))
def test_engine_cell_outside_scope_is_refused(org, cell):
    state, action, role = cell
    obj = _entry(org, state)
    user = getattr(org, OUT_OF_SCOPE[role])
    # Another department's clerk cannot read it, and an office reads only its own region
    # and the regions below it: for both the entry does not exist.
    with pytest.raises(Http404):
        flow_apply(user=user, obj=obj, action=action, comment="越权。")
    obj.refresh_from_db()
    assert (obj.state, obj.version) == (state, 1)


@pytest.mark.django_db
def test_a_clerk_of_another_division_is_refused_in_the_same_department(org):
    from tests.powerlist.factories import make_user

    obj = _entry(org, S.DRAFT)
    other = make_user(R.CLERK, org.dept, division=org.other_division, username="price_clerk")
    with pytest.raises(PermissionDenied, match="管辖范围"):
        flow_apply(user=other, obj=obj, action=A.SUBMIT)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "state"), [(A.RETURN, S.SUBMITTED), (A.LAPSE, S.RECORDED)])
def test_return_and_lapse_need_a_comment(org, action, state):
    obj = _entry(org, state)
    with pytest.raises(ValidationError, match="意见"):
        flow_apply(user=org.office_reviewer, obj=obj, action=action, comment="  ")
    obj.refresh_from_db()
    assert obj.state == state


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(R))
def test_only_the_office_of_the_region_retracts(org, role):
    power = PowerFactory(department=org.dept, division=org.division)
    retraction = Retraction.objects.create(power=power, region=org.province, department=org.dept,
                                           explanation="误将内部事项公开。")
    if (RetractionState.DRAFT, RetractionAction.RETRACT, role) in RETRACTION:
        assert flow_apply(user=getattr(org, IN_SCOPE[role]), obj=retraction,
                          action=RetractionAction.RETRACT).state == RetractionState.RETRACTED
        return
    with pytest.raises((PermissionDenied, Http404)):
        flow_apply(user=getattr(org, IN_SCOPE[role]), obj=retraction, action=RetractionAction.RETRACT)
    with pytest.raises(Http404):
        flow_apply(user=org.city_office_reviewer, obj=retraction, action=RetractionAction.RETRACT)
