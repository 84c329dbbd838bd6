"""The flow contract is checked at start-up, and a flow table that contradicts itself
cannot be built."""

import pytest

from powerlist.org.roles import Role
from powerlist.review.checks import check_flow_items, flow_item_errors
from powerlist.review.contract import FlowContract
from powerlist.review.flow import Flow, FlowDefinitionError, transition
from powerlist.review.models import ReviewAction as A
from powerlist.review.models import ReviewState as S
from tests.flowtest.models import ShortRecord


def test_every_installed_flow_item_keeps_its_contract():
    assert check_flow_items() == []


def test_a_contract_without_the_snapshot_hook_its_flow_needs_is_reported():
    class NoSnapshot(FlowContract):
        model = ShortRecord

        def can_view(self, user, obj):
            return True

    errors = flow_item_errors(ShortRecord, NoSnapshot())
    assert [(e.id, e.msg) for e in errors] == [
        ("powerlist.E106", "NoSnapshot must provide snapshot() for effect 'store_snapshot' of flow short_review.")]


def test_a_contract_that_cannot_tell_who_may_read_is_reported():
    class NoReader(FlowContract):
        model = ShortRecord

        def snapshot(self, obj):
            return {}

    assert [e.id for e in flow_item_errors(ShortRecord, NoReader())] == ["powerlist.E106"]


def _flow(*transitions, **kwargs):
    return Flow(name="t", label="t", states=S, actions=A, initial=S.DRAFT, transitions=transitions, **kwargs)


@pytest.mark.parametrize(("transitions", "kwargs", "message"), [
    ((transition(S.DRAFT, A.SUBMIT, {Role.CLERK}, "nowhere"),), {}, "unknown state"),
    ((transition(S.DRAFT, A.SUBMIT, {Role.CLERK}, S.DEPARTMENT_REVIEW),
      transition(S.DRAFT, A.SUBMIT, {Role.CLERK}, S.OFFICE_REVIEW)), {}, "the same action twice"),
    ((transition(S.DRAFT, A.SUBMIT, set(), S.DEPARTMENT_REVIEW),), {}, "no role"),
    ((transition(S.DRAFT, A.SUBMIT, {Role.CLERK}, S.DEPARTMENT_REVIEW, comment="maybe"),), {}, "comment"),
    ((transition(S.FINAL_REVIEW, A.CONFIRM_LEGAL, {Role.LEGAL_CONFIRMER}, S.CONFIRMED, needs={"legal"}),),
     {"confirmations": {"legal": "legal_confirmed_by"}}, "confirms none"),
    ((transition(S.FINAL_REVIEW, A.CONFIRM_LEGAL, {Role.LEGAL_CONFIRMER}, S.CONFIRMED, confirms="x"),),
     {}, "unknown confirmation slot"),
])
def test_a_contradictory_flow_table_is_refused(transitions, kwargs, message):
    with pytest.raises(FlowDefinitionError, match=message):
        _flow(*transitions, **kwargs)
