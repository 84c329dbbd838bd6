"""The review machine: every (state, action, role) cell, allowed and refused, in and out of scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from powerlist.models import Power, ReviewAction, ReviewLogEntry, ReviewState
from powerlist.org.roles import Role
from powerlist.review.engine import (
    SERVICE_BY_ACTION,
    TransitionConflict,
    review_approve,
    review_batch,
    review_confirm_establishment,
    review_confirm_legal,
    review_return,
    review_start_revision,
    review_submit,
    review_withdraw,
)
from powerlist.review.flows import TRANSITIONS_WITH_FINAL, find_transition
from powerlist.review.record import operation_record_verify
from tests.powerlist.factories import PowerFactory

ACTIONS = [a for a in ReviewAction if a != ReviewAction.CREATE]
STATES = list(ReviewState)
# The in-scope user for each role, by attribute of the `org` fixture.
IN_SCOPE = {
    Role.CLERK: "clerk",
    Role.DEPARTMENT_REVIEWER: "dept_reviewer",
    Role.OFFICE_REVIEWER: "office_reviewer",
    Role.ESTABLISHMENT_CONFIRMER: "establishment",
    Role.LEGAL_CONFIRMER: "legal",
    Role.EXPERT: "expert",
    Role.SUPERVISOR: "supervisor",
    Role.ADMINISTRATOR: "admin",
}
# The same role, outside the item's department or region.
OUT_OF_SCOPE = {
    Role.CLERK: "other_clerk",
    Role.DEPARTMENT_REVIEWER: "other_reviewer",
    Role.OFFICE_REVIEWER: "city_office_reviewer",
    Role.ESTABLISHMENT_CONFIRMER: "city_establishment",
    Role.LEGAL_CONFIRMER: "city_legal",
}


def _call(action, user, obj):
    kwargs = {"user": user, "obj": obj}
    if action in (ReviewAction.RETURN, ReviewAction.APPROVE, ReviewAction.CONFIRM_LEGAL,
                  ReviewAction.CONFIRM_ESTABLISHMENT):
        kwargs["comment"] = "请补充法律依据条文。"
    return SERVICE_BY_ACTION[action](**kwargs)


def _power_in(state, org):
    power = PowerFactory(department=org.dept, division=org.division)
    Power.objects.filter(pk=power.pk).update(state=state)
    power.refresh_from_db()
    return power


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(Role))
def test_transition_table_cell_in_scope(org, state, action, role):
    power = _power_in(state, org)
    user = getattr(org, IN_SCOPE[role])
    transition = find_transition(Power, state, action)
    allowed = transition is not None and role in transition.roles
    before = ReviewLogEntry.objects.count()
    if allowed:
        result = _call(action, user, power)
        assert result.state == transition.target or action in (
            ReviewAction.CONFIRM_ESTABLISHMENT, ReviewAction.CONFIRM_LEGAL)
        entry = ReviewLogEntry.objects.latest("id")
        assert (entry.action, entry.from_state, entry.actor_role) == (action, state, role)
        assert ReviewLogEntry.objects.count() == before + 1
    else:
        with pytest.raises(PermissionDenied) as exc:
            _call(action, user, power)
        assert str(exc.value)  # a reason the user can read
        power.refresh_from_db()
        assert power.state == state
        assert ReviewLogEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("transition", TRANSITIONS_WITH_FINAL, ids=lambda t: f"{t.source}-{t.action}")
def test_allowed_cells_are_refused_outside_scope(org, transition):
    power = _power_in(transition.source, org)
    for role in transition.roles:
        outsider = getattr(org, OUT_OF_SCOPE[role])
        with pytest.raises(PermissionDenied, match="管辖范围|经办人|角色"):
            _call(transition.action, outsider, power)
    power.refresh_from_db()
    assert power.state == transition.source


@pytest.mark.django_db
def test_full_chain_reaches_confirmed_after_both_offices_in_either_order(org):
    for first, second in ((org.establishment, org.legal), (org.legal, org.establishment)):
        power = PowerFactory(department=org.dept, division=org.division)
        power = review_submit(user=org.clerk, obj=power)
        power = review_approve(user=org.dept_reviewer, obj=power)
        power = review_approve(user=org.office_reviewer, obj=power)
        assert power.state == ReviewState.FINAL_REVIEW
        confirm = {org.establishment: review_confirm_establishment, org.legal: review_confirm_legal}
        power = confirm[first](user=first, obj=power)
        assert power.state == ReviewState.FINAL_REVIEW
        with pytest.raises(TransitionConflict):
            confirm[first](user=first, obj=power)
        power = confirm[second](user=second, obj=power)
        assert power.state == ReviewState.CONFIRMED
        assert power.in_force.number == 1
        assert power.in_force.data["name"] == power.name


@pytest.mark.django_db
def test_return_requires_a_comment_and_records_it(org, power):
    power = review_submit(user=org.clerk, obj=power)
    with pytest.raises(ValidationError, match="意见"):
        review_return(user=org.dept_reviewer, obj=power, comment="  ")
    power = review_return(user=org.dept_reviewer, obj=power, comment="依据条款不全")
    assert power.state == ReviewState.DRAFT
    assert power.last_return_comment == "依据条款不全"
    assert ReviewLogEntry.objects.latest("seq").comment == "依据条款不全"


@pytest.mark.django_db
def test_withdraw_only_before_review_starts(org, power):
    power = review_submit(user=org.clerk, obj=power)
    power = review_withdraw(user=org.clerk, obj=power)
    assert power.state == ReviewState.DRAFT
    power = review_submit(user=org.clerk, obj=power)
    power = review_approve(user=org.dept_reviewer, obj=power)
    with pytest.raises(PermissionDenied, match="不能执行"):
        review_withdraw(user=org.clerk, obj=power)


@pytest.mark.django_db
def test_stale_page_is_refused_with_a_clear_message(org, power):
    seen_version = power.version
    review_submit(user=org.clerk, obj=power)
    with pytest.raises(TransitionConflict, match="已被他人处理"):
        review_withdraw(user=org.clerk, obj=power, expected_version=seen_version)


@pytest.mark.django_db
def test_second_reviewer_acting_on_the_same_item_gets_a_conflict(org, power):
    second = org.dept_reviewer.__class__.objects.get(pk=org.dept_reviewer.pk)
    power = review_submit(user=org.clerk, obj=power)
    stale = Power.objects.get(pk=power.pk)
    review_approve(user=org.dept_reviewer, obj=power)
    with pytest.raises(TransitionConflict):
        review_return(user=second, obj=stale, comment="不同意")


@pytest.mark.django_db
def test_revision_keeps_confirmed_revision_in_force(org, power):
    from tests.powerlist.helpers import confirm

    power = confirm(org, power)
    in_force = power.in_force
    power = review_start_revision(user=org.clerk, obj=power)
    assert power.state == ReviewState.DRAFT and power.revision == 2
    power.refresh_from_db()
    assert power.in_force == in_force


@pytest.mark.django_db
def test_stand_in_reviewer_granted_by_guardian_may_approve(org, power):
    from guardian.shortcuts import assign_perm

    stand_in = org.other_reviewer
    power = review_submit(user=org.clerk, obj=power)
    with pytest.raises(PermissionDenied):
        review_approve(user=stand_in, obj=power)
    assign_perm("powerlist.act_as_department_reviewer", stand_in, org.dept)
    stand_in = stand_in.__class__.objects.get(pk=stand_in.pk)
    power = review_approve(user=stand_in, obj=power)
    assert power.state == ReviewState.OFFICE_REVIEW


@pytest.mark.django_db
def test_batch_reports_refusals_item_by_item(org):
    mine = [PowerFactory(department=org.dept, division=org.division) for _ in range(3)]
    foreign = PowerFactory(department=org.other_dept, division=org.other_dept_division)
    for p in mine:
        review_submit(user=org.clerk, obj=p)
    review_submit(user=org.other_clerk, obj=foreign)
    result = review_batch(user=org.dept_reviewer, objs=Power.objects.filter(state="department_review"),
                          action=ReviewAction.APPROVE)
    assert len(result.done) == 3
    assert [obj.pk for obj, _reason in result.refused] == [foreign.pk]


@pytest.mark.django_db
def test_log_chain_verifies_and_names_first_tampered_entry(org, power):
    power = review_submit(user=org.clerk, obj=power)
    power = review_withdraw(user=org.clerk, obj=power)
    power = review_submit(user=org.clerk, obj=power)
    (result,) = operation_record_verify(chain="region:210000", full=True)
    assert (result.count, result.broken, result.reason) == (3, None, "")
    target = ReviewLogEntry.objects.get(chain="region:210000", seq=2)
    ReviewLogEntry.objects.filter(pk=target.pk).update(comment="篡改")
    (result,) = operation_record_verify(chain="region:210000", full=True)
    assert result.broken.pk == target.pk and result.reason == "content does not match its hash"


@pytest.mark.django_db
def test_log_entries_are_append_only(org, power):
    review_submit(user=org.clerk, obj=power)
    entry = ReviewLogEntry.objects.latest("id")
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
