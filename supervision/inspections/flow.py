"""The rectification of an inspection finding (整改) as a flow, run by the portal's one engine.

    open --file (clerk, department reviewer; report required)--> filed
    filed --accept (supervisor)--> accepted
    filed --send_back (supervisor; comment required)--> sent_back
    sent_back --file (clerk, department reviewer; report required)--> filed

The inspected department's clerk files what was rectified; the supervisor of the
inspecting region checks it and accepts it, or sends it back with what is still missing.
Filing stamps `submitted_at` (whether the rectification was on time is read from it),
acceptance stamps `confirmed_at`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.org.roles import Role
from powerlist.review.flow import OPTIONAL, REQUIRED, Flow, transition


class RectificationState(models.TextChoices):
    OPEN = "open", _("待整改")
    FILED = "filed", _("已报送待核查")
    SENT_BACK = "sent_back", _("退回重新整改")
    ACCEPTED = "accepted", _("整改验收通过")


class RectificationAction(models.TextChoices):
    FILE = "file", _("报送整改情况")
    ACCEPT = "accept", _("核查通过")
    SEND_BACK = "send_back", _("退回整改")


DEPARTMENT = {Role.CLERK, Role.DEPARTMENT_REVIEWER}
SUPERVISOR = {Role.SUPERVISOR}

RECTIFICATION_FLOW = Flow(
    name="rectification",
    label=_("整改"),
    states=RectificationState,
    actions=RectificationAction,
    initial=RectificationState.OPEN,
    owner_role=Role.CLERK,
    transitions=(
        transition(RectificationState.OPEN, RectificationAction.FILE, DEPARTMENT, RectificationState.FILED,
                   comment=REQUIRED, effects=("stamp_submitted", "notify_next")),
        transition(RectificationState.SENT_BACK, RectificationAction.FILE, DEPARTMENT, RectificationState.FILED,
                   comment=REQUIRED, effects=("stamp_submitted", "notify_next")),
        transition(RectificationState.FILED, RectificationAction.ACCEPT, SUPERVISOR, RectificationState.ACCEPTED,
                   comment=OPTIONAL, batch=True, effects=("stamp_confirmed", "notify_owner")),
        transition(RectificationState.FILED, RectificationAction.SEND_BACK, SUPERVISOR,
                   RectificationState.SENT_BACK, comment=REQUIRED,
                   effects=("store_return_comment", "notify_owner")),
    ),
)

OPEN_RECTIFICATION_STATES = (RectificationState.OPEN, RectificationState.FILED, RectificationState.SENT_BACK)
