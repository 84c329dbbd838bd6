"""ALERT_FLOW through the engine: the matrix of who may do what, written by hand."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from powerlist.org.roles import Role
from powerlist.review.record import operation_record_for
from supervision.alert_flow import AlertState
from supervision.models import Alert
from supervision.services.alerts import alert_apply
from tests.powerlist.factories import make_user
from tests.supervision.factories import case_system, confirmed_power, push

pytestmark = pytest.mark.django_db

MATRIX = [
    # state, action, who, outcome (the state reached, or the refusal)
    ("open", "explain", "clerk", "explained"),
    ("open", "explain", "dept_reviewer", "explained"),
    ("open", "explain", "supervisor", 403),
    ("open", "explain", "other_clerk", 404),
    ("open", "explain", "city_supervisor", 404),
    ("open", "escalate", "supervisor", "escalated"),
    ("open", "escalate", "clerk", 403),
    ("open", "close", "supervisor", 403),
    ("explained", "close", "supervisor", "closed"),
    ("explained", "close", "clerk", 403),
    ("explained", "close", "dept_reviewer", 403),
    ("explained", "escalate", "supervisor", "escalated"),
    ("explained", "explain", "clerk", 403),
    ("escalated", "close", "supervisor", "closed"),
    ("escalated", "explain", "clerk", 403),
    ("escalated", "escalate", "supervisor", 403),
    ("closed", "close", "supervisor", 403),
    ("closed", "explain", "clerk", 403),
    ("closed", "escalate", "supervisor", 403),
]


@pytest.fixture
def alert(org, calendar_2026):
    power = confirmed_power(org.dept)
    system = case_system(org.dept)
    push(system, [("received", "2026-11-02 09:00", {"power": power.code, "online": False})],
         today=datetime.date(2026, 11, 2))
    return Alert.objects.get()


def actor(org, who):
    if who == "city_supervisor":
        return make_user(Role.SUPERVISOR, org.city_office, username="city_supervisor")
    return getattr(org, who)


@pytest.mark.parametrize("state, action, who, outcome", MATRIX)
def test_alert_flow_matrix(org, alert, state, action, who, outcome):
    Alert.objects.filter(pk=alert.pk).update(state=state)
    alert.refresh_from_db()
    user = actor(org, who)
    if outcome == 404:
        with pytest.raises(Http404):
            alert_apply(user=user, alert=alert, action=action, comment="情况说明")
    elif outcome == 403:
        with pytest.raises(PermissionDenied):
            alert_apply(user=user, alert=alert, action=action, comment="情况说明")
    else:
        assert alert_apply(user=user, alert=alert, action=action, comment="情况说明").state == outcome
        entry = operation_record_for(alert).order_by("-seq").first()
        assert (entry.action, entry.from_state, entry.to_state, entry.actor_id) == (action, state, outcome, user.pk)
    if not isinstance(outcome, str):
        alert.refresh_from_db()
        assert alert.state == state


@pytest.mark.parametrize("state, action, who", [
    ("open", "explain", "clerk"), ("open", "escalate", "supervisor"), ("explained", "escalate", "supervisor"),
    ("escalated", "close", "supervisor"),
])
def test_comment_required(org, alert, state, action, who):
    Alert.objects.filter(pk=alert.pk).update(state=state)
    alert.refresh_from_db()
    with pytest.raises(ValidationError):
        alert_apply(user=actor(org, who), alert=alert, action=action, comment=" ")


def test_closing_an_explained_alert_needs_no_comment(org, alert):
    Alert.objects.filter(pk=alert.pk).update(state=AlertState.EXPLAINED)
    alert.refresh_from_db()
    assert alert_apply(user=org.supervisor, alert=alert, action="close").state == AlertState.CLOSED


def test_raising_is_in_the_operation_record(alert):
    entry = operation_record_for(alert).get()
    assert (entry.action, entry.from_state, entry.to_state, entry.actor.username) == ("raise", "", "open", "svc-sys-1")
