"""The handling of an alert (预警纠错) as a flow, run by the portal's one engine.

    open --explain (clerk, department reviewer; comment required)--> explained
    explained --close (supervisor; comment optional)--> closed
    explained --escalate (supervisor; comment required)--> escalated
    open --escalate (supervisor; comment required)--> escalated
    escalated --close (supervisor; comment required)--> closed

The responsible department explains (说明); the supervisor of the case's region accepts
the explanation and closes the alert, or escalates it to the department head. A second
yellow card in a quarter for the same post is raised already escalated
(supervision.services.alerts).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.org.roles import Role
from powerlist.review.flow import OPTIONAL, REQUIRED, Flow, transition


class AlertState(models.TextChoices):
    OPEN = "open", _("待说明")
    EXPLAINED = "explained", _("已说明")
    ESCALATED = "escalated", _("已升级")
    CLOSED = "closed", _("已办结")


class AlertAction(models.TextChoices):
    EXPLAIN = "explain", _("情况说明")
    CLOSE = "close", _("审核办结")
    ESCALATE = "escalate", _("升级督办")


DEPARTMENT = {Role.CLERK, Role.DEPARTMENT_REVIEWER}
SUPERVISOR = {Role.SUPERVISOR}

ALERT_FLOW = Flow(
    name="alert",
    label=_("预警处置"),
    states=AlertState,
    actions=AlertAction,
    initial=AlertState.OPEN,
    owner_role=Role.CLERK,
    transitions=(
        transition(AlertState.OPEN, AlertAction.EXPLAIN, DEPARTMENT, AlertState.EXPLAINED, comment=REQUIRED,
                   effects=("notify_next",)),
        transition(AlertState.OPEN, AlertAction.ESCALATE, SUPERVISOR, AlertState.ESCALATED, comment=REQUIRED,
                   waiting=False, effects=("notify_owner",)),
        transition(AlertState.EXPLAINED, AlertAction.CLOSE, SUPERVISOR, AlertState.CLOSED, comment=OPTIONAL,
                   batch=True, effects=("notify_owner",)),
        transition(AlertState.EXPLAINED, AlertAction.ESCALATE, SUPERVISOR, AlertState.ESCALATED,
                   comment=REQUIRED, effects=("notify_owner",)),
        transition(AlertState.ESCALATED, AlertAction.CLOSE, SUPERVISOR, AlertState.CLOSED, comment=REQUIRED,
                   effects=("notify_owner",)),
    ),
)

OPEN_ALERT_STATES = (AlertState.OPEN, AlertState.EXPLAINED, AlertState.ESCALATED)
