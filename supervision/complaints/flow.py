"""The handling of a complaint from the public (投诉举报) as a flow, run by the portal's one engine.

    received --accept (supervisor)--> accepted
    received --decline (supervisor; reason required)--> declined
    accepted --assign (supervisor)--> assigned          the handler is the supervisor who assigns;
                                                         the department receives a redacted copy
    assigned --handle (supervisor; findings required)--> handled   the finding (resolved, not
                                                         substantiated, outside remit) is proposed
    handled  --reply (supervisor; reply required)--> replied        the reply is public
    replied  --close (supervisor)--> closed             the outcome becomes the finding
    replied / closed --rate (complainant)--> same state  once, within 15 working days of the reply
    replied / closed --reopen (complainant; reason required)--> assigned   within 15 working days
    received / accepted / assigned / handled --withdraw (complainant)--> closed (outcome withdrawn)

The complainant holds no account: supervision.complaints.principal gives the engine an
actor that holds the COMPLAINANT role for the one complaint whose tracking code and
secret phrase it was shown, so the engine checks the complainant like any other role.
Acceptance is due within 5 working days of receipt (Complaint.accept_due_on); the
deadline is a duty of the supervisors, so a late acceptance is still taken and shows on
their overdue panel and in the record.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.org.roles import Role
from powerlist.review.flow import OPTIONAL, REQUIRED, Flow, transition
from powerlist.review.models import ReviewAction

# A role no account holds (supervision.complaints.principal).
COMPLAINANT = "complainant"
COMPLAINANT_LABEL = _("投诉人")

# The record's entries outside the flow: the filing, and a supervisor opening the
# identity or an attachment (not a state change: from = to).
FILE_ACTION = ReviewAction.CREATE
VIEW_IDENTITY_ACTION = "view_identity"

ACCEPT_WITHIN_WORKING_DAYS = 5
REOPEN_WITHIN_WORKING_DAYS = 15


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("已收到")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    ASSIGNED = "assigned", _("办理中")
    HANDLED = "handled", _("已办理,待答复")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


class ComplaintAction(models.TextChoices):
    ACCEPT = "accept", _("受理")
    DECLINE = "decline", _("不予受理")
    ASSIGN = "assign", _("领办")
    HANDLE = "handle", _("办理完毕")
    REPLY = "reply", _("答复投诉人")
    CLOSE = "close", _("办结")
    RATE = "rate", _("评价答复")
    REOPEN = "reopen", _("申请重新办理")
    WITHDRAW = "withdraw", _("撤回投诉")


class ComplaintOutcome(models.TextChoices):
    RESOLVED = "resolved", _("问题属实,已解决")
    NOT_SUBSTANTIATED = "not_substantiated", _("经查不属实")
    OUTSIDE_REMIT = "outside_remit", _("不属于本机关职责范围")
    WITHDRAWN = "withdrawn", _("投诉人撤回")


# What handling may find (withdrawn comes only from the complainant).
FINDINGS = (ComplaintOutcome.RESOLVED, ComplaintOutcome.NOT_SUBSTANTIATED, ComplaintOutcome.OUTSIDE_REMIT)


class ComplaintRating(models.IntegerChoices):
    SATISFIED = 3, _("满意")
    PARTLY = 2, _("基本满意")
    DISSATISFIED = 1, _("不满意")


SUPERVISOR = {Role.SUPERVISOR}
PUBLIC = {COMPLAINANT}
S, A = ComplaintState, ComplaintAction

COMPLAINT_FLOW = Flow(
    name="complaint",
    label=_("投诉举报办理"),
    states=ComplaintState,
    actions=ComplaintAction,
    initial=S.RECEIVED,
    owner_role=COMPLAINANT,
    transitions=(
        transition(S.RECEIVED, A.ACCEPT, SUPERVISOR, S.ACCEPTED, comment=OPTIONAL, batch=True,
                   effects=("complaint_stamp_accepted",)),
        transition(S.RECEIVED, A.DECLINE, SUPERVISOR, S.DECLINED, comment=REQUIRED,
                   effects=("complaint_store_decline",)),
        transition(S.ACCEPTED, A.ASSIGN, SUPERVISOR, S.ASSIGNED, comment=OPTIONAL,
                   effects=("complaint_take_over", "complaint_notify_department")),
        transition(S.ASSIGNED, A.HANDLE, SUPERVISOR, S.HANDLED, comment=REQUIRED,
                   effects=("complaint_store_finding", "store_snapshot")),
        transition(S.HANDLED, A.REPLY, SUPERVISOR, S.REPLIED, comment=REQUIRED,
                   effects=("complaint_store_reply",)),
        transition(S.REPLIED, A.CLOSE, SUPERVISOR, S.CLOSED, comment=OPTIONAL, batch=True,
                   effects=("complaint_settle_outcome", "store_snapshot")),
        transition(S.REPLIED, A.RATE, PUBLIC, S.REPLIED, comment=OPTIONAL, waiting=False,
                   effects=("complaint_store_rating", "store_snapshot")),
        transition(S.CLOSED, A.RATE, PUBLIC, S.CLOSED, comment=OPTIONAL, waiting=False,
                   effects=("complaint_store_rating", "store_snapshot")),
        transition(S.REPLIED, A.REOPEN, PUBLIC, S.ASSIGNED, comment=REQUIRED, waiting=False,
                   effects=("complaint_reopen", "notify_next")),
        transition(S.CLOSED, A.REOPEN, PUBLIC, S.ASSIGNED, comment=REQUIRED, waiting=False,
                   effects=("complaint_reopen", "notify_next")),
        transition(S.RECEIVED, A.WITHDRAW, PUBLIC, S.CLOSED, comment=OPTIONAL, waiting=False,
                   effects=("complaint_withdrawn", "store_snapshot")),
        transition(S.ACCEPTED, A.WITHDRAW, PUBLIC, S.CLOSED, comment=OPTIONAL, waiting=False,
                   effects=("complaint_withdrawn", "store_snapshot")),
        transition(S.ASSIGNED, A.WITHDRAW, PUBLIC, S.CLOSED, comment=OPTIONAL, waiting=False,
                   effects=("complaint_withdrawn", "store_snapshot")),
        transition(S.HANDLED, A.WITHDRAW, PUBLIC, S.CLOSED, comment=OPTIONAL, waiting=False,
                   effects=("complaint_withdrawn", "store_snapshot")),
    ),
)

# States in which the complaint is still being worked on (its clock runs).
OPEN_COMPLAINT_STATES = (S.RECEIVED, S.ACCEPTED, S.ASSIGNED, S.HANDLED)
# Finished: the complainant may still rate or reopen a replied or closed one.
FINISHED_COMPLAINT_STATES = (S.DECLINED, S.CLOSED)
