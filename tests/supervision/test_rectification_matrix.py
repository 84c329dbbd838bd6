"""RECTIFICATION_FLOW through the engine: who may do what, written out by hand (state ×
action × who → the state reached, 403 for a refusal, 404 for someone who may not read it)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from powerlist.org.roles import Role
from powerlist.review.record import operation_record_for
from supervision.inspections.flow import RECTIFICATION_FLOW
from supervision.inspections.services import rectification_apply
from supervision.models import Rectification
from tests.powerlist.factories import make_user
from tests.supervision.inspection_factories import RectificationFactory

pytestmark = pytest.mark.django_db

MATRIX = [
    ("open", "file", "clerk", "filed"),
    ("open", "file", "dept_reviewer", "filed"),
    ("open", "file", "supervisor", 403),
    ("open", "file", "other_clerk", 404),
    ("open", "file", "city_clerk", 404),
    ("open", "accept", "supervisor", 403),
    ("open", "send_back", "supervisor", 403),
    ("filed", "accept", "supervisor", "accepted"),
    ("filed", "accept", "clerk", 403),
    ("filed", "accept", "dept_reviewer", 403),
    ("filed", "accept", "office_reviewer", 404),
    ("filed", "accept", "city_supervisor", 404),
    ("filed", "accept", "province_supervisor_of_city", 403),
    ("filed", "send_back", "supervisor", "sent_back"),
    ("filed", "send_back", "clerk", 403),
    ("filed", "file", "clerk", 403),
    ("sent_back", "file", "clerk", "filed"),
    ("sent_back", "file", "dept_reviewer", "filed"),
    ("sent_back", "accept", "supervisor", 403),
    ("sent_back", "file", "supervisor", 403),
    ("accepted", "file", "clerk", 403),
    ("accepted", "accept", "supervisor", 403),
    ("accepted", "send_back", "supervisor", 403),
]


def actor(org, who):
    if who == "city_supervisor":
        return make_user(Role.SUPERVISOR, org.city_office, username="city_supervisor")
    if who == "province_supervisor_of_city":
        return org.supervisor
    return getattr(org, who)


@pytest.fixture
def rectifications(org):
    province = RectificationFactory(finding__plan__department=org.dept, finding__plan__created_by=org.supervisor)
    city = RectificationFactory(finding__plan__department=org.city_dept, finding__plan__created_by=org.supervisor)
    return {"province": province, "city": city}


@pytest.mark.parametrize("state, action, who, outcome", MATRIX)
def test_rectification_flow_matrix(org, rectifications, state, action, who, outcome):
    # The provincial supervisor reads a city department's rectification (the region
    # below) but acts only in its own region: that cell runs on the city's.
    rect = rectifications["city" if who == "province_supervisor_of_city" else "province"]
    Rectification.objects.filter(pk=rect.pk).update(state=state)
    rect.refresh_from_db()
    user = actor(org, who)
    if outcome in (403, 404):
        with pytest.raises(PermissionDenied if outcome == 403 else Http404):
            rectification_apply(user=user, rectification=rect, action=action, comment="整改说明")
        rect.refresh_from_db()
        assert rect.state == state
        assert not operation_record_for(rect).exists()
    else:
        assert rectification_apply(user=user, rectification=rect, action=action, comment="整改说明").state == outcome
        entry = operation_record_for(rect).order_by("-seq").first()
        assert (entry.action, entry.from_state, entry.to_state, entry.actor_id) == (action, state, outcome, user.pk)


def test_comment_rules_of_the_table():
    rules = {(t.source, t.action): t.comment for t in RECTIFICATION_FLOW.transitions}
    assert rules == {("open", "file"): "required", ("sent_back", "file"): "required",
                     ("filed", "accept"): "optional", ("filed", "send_back"): "required"}


@pytest.mark.parametrize("state, action, who", [
    ("open", "file", "clerk"), ("filed", "send_back", "supervisor"), ("sent_back", "file", "dept_reviewer"),
])
def test_required_comment_is_refused_without_one(org, rectifications, state, action, who):
    from django.core.exceptions import ValidationError
    rect = rectifications["province"]
    Rectification.objects.filter(pk=rect.pk).update(state=state)
    rect.refresh_from_db()
    with pytest.raises(ValidationError):
        rectification_apply(user=getattr(org, who), rectification=rect, action=action, comment="  ")
    rect.refresh_from_db()
    assert rect.state == state


def test_queues_wait_for_the_right_roles():
    assert RECTIFICATION_FLOW.waiting_for(Role.CLERK) == [("open", ""), ("sent_back", "")]
    assert RECTIFICATION_FLOW.waiting_for(Role.SUPERVISOR) == [("filed", ""), ("filed", "")]
    assert RECTIFICATION_FLOW.batch_actions(Role.SUPERVISOR) == ["accept"]
    assert RECTIFICATION_FLOW.batch_actions(Role.CLERK) == []
