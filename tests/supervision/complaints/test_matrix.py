"""The complaint flow's cells written out by hand, run through the engine for every
kind of user in and out of scope (like tests/powerlist/review/test_matrix.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from powerlist.org.roles import Role
from supervision.complaints.flow import COMPLAINT_FLOW, ComplaintAction, ComplaintState
from supervision.complaints.principal import complainant_actor
from tests.powerlist.factories import make_user
from tests.supervision.complaints.helpers import act, drive, file_complaint

S, A = ComplaintState, ComplaintAction
SUP, PUB = "supervisor", "complainant"

# (state, action) → (role, target). Everything else is refused for everyone.
CELLS = {
    (S.RECEIVED, A.ACCEPT): (SUP, S.ACCEPTED),
    (S.RECEIVED, A.DECLINE): (SUP, S.DECLINED),
    (S.RECEIVED, A.WITHDRAW): (PUB, S.CLOSED),
    (S.ACCEPTED, A.ASSIGN): (SUP, S.ASSIGNED),
    (S.ACCEPTED, A.WITHDRAW): (PUB, S.CLOSED),
    (S.ASSIGNED, A.HANDLE): (SUP, S.HANDLED),
    (S.ASSIGNED, A.WITHDRAW): (PUB, S.CLOSED),
    (S.HANDLED, A.REPLY): (SUP, S.REPLIED),
    (S.HANDLED, A.WITHDRAW): (PUB, S.CLOSED),
    (S.REPLIED, A.CLOSE): (SUP, S.CLOSED),
    (S.REPLIED, A.RATE): (PUB, S.REPLIED),
    (S.REPLIED, A.REOPEN): (PUB, S.ASSIGNED),
    (S.CLOSED, A.RATE): (PUB, S.CLOSED),
    (S.CLOSED, A.REOPEN): (PUB, S.ASSIGNED),
}
REQUIRED_COMMENT = {A.DECLINE, A.HANDLE, A.REPLY, A.REOPEN}
BATCH = {A.ACCEPT, A.CLOSE}

# Who tries, and what they get when the cell's role is not theirs (or out of scope).
# The complaint is about the province's department org.dept.
ACTORS = ("supervisor", "city_supervisor", "clerk", "dept_reviewer", "office_reviewer", "admin",
          "complainant", "other_complainant", "anonymous")
# States in which the department holds its redacted copy (it may read, so refusals are 403).
COPY = {S.ASSIGNED, S.HANDLED, S.REPLIED, S.CLOSED}


def refused_as(actor, state):
    """Hand-written: 404 for who may not read the complaint at all, 403 for who may."""
    if actor in ("supervisor", "admin", "complainant"):
        return PermissionDenied
    if actor in ("clerk", "dept_reviewer") and state in COPY:
        return PermissionDenied
    return Http404


def test_the_table_is_the_hand_written_one():
    table = {(t.source, t.action): (set(t.roles), t.target) for t in COMPLAINT_FLOW.transitions}
    assert table == {cell: ({role}, target) for cell, (role, target) in CELLS.items()}
    assert {t.action for t in COMPLAINT_FLOW.transitions if t.comment_required} == REQUIRED_COMMENT
    assert {t.action for t in COMPLAINT_FLOW.transitions if t.batch} == BATCH
    assert COMPLAINT_FLOW.batch_actions(Role.SUPERVISOR) == [A.ACCEPT, A.CLOSE]
    assert COMPLAINT_FLOW.waiting_for(Role.SUPERVISOR) == [
        (S.RECEIVED, ""), (S.RECEIVED, ""), (S.ACCEPTED, ""), (S.ASSIGNED, ""), (S.HANDLED, ""), (S.REPLIED, "")]
    assert COMPLAINT_FLOW.waiting_for("complainant") == []


@pytest.fixture
def people(org):
    city_office = org.city_office
    return {
        "supervisor": org.supervisor,
        "city_supervisor": make_user(Role.SUPERVISOR, city_office, username="city_supervisor"),
        "clerk": org.clerk, "dept_reviewer": org.dept_reviewer, "office_reviewer": org.office_reviewer,
        "admin": org.admin, "anonymous": AnonymousUser(),
    }


def _user(people, actor, complaint, other):
    if actor == "complainant":
        return complainant_actor(complaint.pk)
    if actor == "other_complainant":
        return complainant_actor(other.pk)
    return people[actor]


@pytest.mark.parametrize("state,action", [(s, a) for s in S.values for a in A.values])
def test_cell(org, people, state, action):
    """Every actor tries the cell on one complaint: the refused ones first (nothing
    changes), then the one whose role the cell names."""
    complaint = drive(file_complaint(org.dept), state, supervisor=org.supervisor)
    other = file_complaint(org.dept)
    role, target = CELLS.get((state, action), (None, None))
    for actor in ACTORS:
        if actor == role:
            continue
        with pytest.raises(refused_as(actor, state)):
            act(complaint, action, _user(people, actor, complaint, other))
        complaint.refresh_from_db()
        assert complaint.state == state, actor
    if role is not None:
        done = act(complaint, action, _user(people, role, complaint, other))
        assert done.state == target


def test_supervisor_of_the_region_above_reads_but_does_not_act(org):
    complaint = file_complaint(org.city_dept)
    with pytest.raises(PermissionDenied, match="管辖范围"):
        act(complaint, A.ACCEPT, org.supervisor)
    city_supervisor = make_user(Role.SUPERVISOR, org.city_office, username="city_sup")
    assert act(complaint, A.ACCEPT, city_supervisor).state == S.ACCEPTED


def test_the_refusal_names_the_complainant_role_for_a_supervisor(org):
    complaint = drive(file_complaint(org.dept), S.REPLIED, supervisor=org.supervisor)
    with pytest.raises(PermissionDenied, match="投诉人"):
        act(complaint, A.RATE, org.supervisor)
