"""Two flows that exist only to prove the engine is general: a short review (as the
non-disclosure register will use) and a handling flow that is not a review chain (as
complaints will use). Built from the same Flow, engine, pages and API as the review chain."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.org.roles import Role
from powerlist.review.flow import OPTIONAL, REQUIRED, Flow, transition
from powerlist.review.models import FlowItem


class RecordState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OFFICE_REVIEW = "office_review", _("办公室审核中")
    RECORDED = "recorded", _("已备案")


class RecordAction(models.TextChoices):
    SUBMIT = "submit", _("提交备案")
    RETURN = "return", _("退回修改")
    RECORD = "record", _("审核备案")


SHORT_REVIEW = Flow(
    name="short_review",
    label=_("审核备案"),
    states=RecordState,
    actions=RecordAction,
    initial=RecordState.DRAFT,
    owner_role=Role.CLERK,
    transitions=(
        transition(RecordState.DRAFT, RecordAction.SUBMIT, {Role.CLERK}, RecordState.OFFICE_REVIEW, batch=True,
                   effects=("store_snapshot", "notify_next")),
        transition(RecordState.OFFICE_REVIEW, RecordAction.RETURN, {Role.OFFICE_REVIEWER}, RecordState.DRAFT,
                   comment=REQUIRED, batch=True, effects=("notify_owner",)),
        transition(RecordState.OFFICE_REVIEW, RecordAction.RECORD, {Role.OFFICE_REVIEWER},
                   RecordState.RECORDED, comment=OPTIONAL, batch=True, effects=("notify_owner",)),
    ),
)


class TicketState(models.TextChoices):
    RECEIVED = "received", _("已接收")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    ASSIGNED = "assigned", _("已交办")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class TicketAction(models.TextChoices):
    ACCEPT = "accept", _("受理")
    DECLINE = "decline", _("不予受理")
    ASSIGN = "assign", _("交办")
    ANSWER = "answer", _("答复")
    CLOSE = "close", _("办结")


HANDLING = Flow(
    name="handling",
    label=_("受理办理"),
    states=TicketState,
    actions=TicketAction,
    initial=TicketState.RECEIVED,
    transitions=(
        transition(TicketState.RECEIVED, TicketAction.ACCEPT, {Role.SUPERVISOR}, TicketState.ACCEPTED),
        transition(TicketState.RECEIVED, TicketAction.DECLINE, {Role.SUPERVISOR}, TicketState.DECLINED,
                   comment=REQUIRED),
        transition(TicketState.ACCEPTED, TicketAction.ASSIGN, {Role.SUPERVISOR}, TicketState.ASSIGNED,
                   effects=("notify_next",)),
        transition(TicketState.ASSIGNED, TicketAction.ANSWER, {Role.CLERK}, TicketState.ANSWERED,
                   comment=REQUIRED, effects=("notify_next",)),
        transition(TicketState.ANSWERED, TicketAction.CLOSE, {Role.SUPERVISOR}, TicketState.CLOSED,
                   comment=OPTIONAL, batch=True),
    ),
)


class ShortRecord(FlowItem):
    flow = SHORT_REVIEW
    state = models.CharField(max_length=20, choices=RecordState.choices, default=RecordState.DRAFT)
    region = models.ForeignKey("powerlist.Region", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("powerlist.Department", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey("powerlist.Division", null=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=100)

    class Meta:
        app_label = "flowtest"
        verbose_name = "备案事项"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/flowtest/records/{self.pk}/"


class Ticket(FlowItem):
    flow = HANDLING
    state = models.CharField(max_length=20, choices=TicketState.choices, default=TicketState.RECEIVED)
    region = models.ForeignKey("powerlist.Region", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("powerlist.Department", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=100)

    class Meta:
        app_label = "flowtest"
        verbose_name = "来件"

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return f"/flowtest/tickets/{self.pk}/"
