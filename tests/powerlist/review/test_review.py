"""The review machine's behaviour beyond the cell matrix (test_matrix.py): the two
offices in either order, comments, withdrawal, stale pages, revisions, stand-ins,
batches and the record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from powerlist.models import Power, ReviewAction, ReviewLogEntry, ReviewState
from powerlist.review.engine import (
    TransitionConflict,
    flow_batch,
    review_approve,
    review_confirm_establishment,
    review_confirm_legal,
    review_return,
    review_start_revision,
    review_submit,
    review_withdraw,
)
from powerlist.review.record import operation_record_verify
from tests.powerlist.factories import PowerFactory


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
    with pytest.raises(Http404):  # another department's item: not even readable
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
    result = flow_batch(user=org.dept_reviewer, objs=Power.objects.filter(state="department_review"),
                        action=ReviewAction.APPROVE)
    assert len(result.done) == 3
    # The other department's power cannot even be read: it is refused without its name.
    assert [(obj, reason) for obj, reason in result.refused] == [(None, "该事项不存在或无权查看。")]
    foreign.refresh_from_db()
    assert foreign.state == ReviewState.DEPARTMENT_REVIEW


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
