"""The complaint's side of the flow contract, and the complaint flow's own effects.

The effects are registered with the engine (powerlist.review.engine.effect_register)
from SupervisionConfig.ready; the flow table names them (supervision.complaints.flow).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.review.contract import FlowContract
from powerlist.review.engine import Effect
from supervision.clock import due_date
from supervision.complaints.flow import (
    FINDINGS,
    REOPEN_WITHIN_WORKING_DAYS,
    ComplaintAction,
    ComplaintOutcome,
    ComplaintRating,
)
from supervision.complaints.models import Complaint
from supervision.complaints.permissions import can_view_complaint


def _today():
    return timezone.localdate()


def _within_reopen_window(obj):
    if obj.reopen_until is None or _today() > obj.reopen_until:
        raise ValidationError(_("答复已超过 %(n)s 个工作日,不能再评价或申请重新办理。")
                              % {"n": REOPEN_WITHIN_WORKING_DAYS})


class ComplaintContract(FlowContract):
    model = Complaint
    # Complaints have their own queues (supervision.complaints.views), not the review workspace's.
    on_workspace = False
    queue_ordering = ("accept_due_on", "id")

    def queue_queryset(self):
        return Complaint.objects.select_related("department", "region", "power")

    def can_view(self, user, obj):
        return can_view_complaint(user, obj)

    def describe(self, obj):
        # The title is stored masked; the identity never reaches a notice or the record.
        return f"{obj.tracking_code} {obj.title}"

    def snapshot(self, obj):
        return {"finding": obj.finding, "outcome": obj.outcome, "rating": obj.rating}

    def precheck(self, obj, action):
        if action in (ComplaintAction.RATE, ComplaintAction.REOPEN):
            _within_reopen_window(obj)
        if action == ComplaintAction.RATE and obj.rated_at is not None:
            raise ValidationError(_("您已评价过这次答复。"))


def _stamp_accepted(step):
    step.set("accepted_at", step.now)


def _store_decline(step):
    step.set("decline_reason", step.comment)
    step.set("declined_at", step.now)


def _take_over(step):
    step.set("assigned_to", step.user)
    step.set("assigned_at", step.now)


def _notify_department(step):
    from supervision.complaints.notices import complaint_notice_department

    complaint_notice_department(complaint=step.obj)


def _store_finding(step):
    finding = step.data.get("finding")
    if finding not in FINDINGS:
        raise ValidationError({"finding": _("请选择办理结论。")})
    step.set("finding", finding)
    step.set("findings_text", step.comment)
    step.set("handled_at", step.now)


def _store_reply(step):
    step.set("reply", step.comment)
    step.set("replied_at", step.now)
    step.set("reopen_until", due_date(timezone.localtime(step.now).date(), REOPEN_WITHIN_WORKING_DAYS).date)


def _settle_outcome(step):
    step.set("outcome", step.obj.finding)
    step.set("closed_at", step.now)


def _store_rating(step):
    try:
        rating = int(step.data.get("rating"))
    except (TypeError, ValueError):
        rating = None
    if rating not in ComplaintRating.values:
        raise ValidationError({"rating": _("请选择评价。")})
    step.set("rating", rating)
    step.set("rating_comment", step.comment)
    step.set("rated_at", step.now)


# What a reopened complaint forgets: the last handling's finding, outcome and rating.
REOPEN_CLEARS = {"finding": "", "outcome": "", "findings_text": "", "rating_comment": "",
                 "closed_at": None, "handled_at": None, "rated_at": None, "rating": None}


def _reopen(step):
    step.set("reopened_count", step.obj.reopened_count + 1)
    for name, empty in REOPEN_CLEARS.items():
        step.set(name, empty)


def _withdrawn(step):
    step.set("outcome", ComplaintOutcome.WITHDRAWN)
    step.set("closed_at", step.now)


COMPLAINT_EFFECTS = (
    Effect("complaint_stamp_accepted", before=_stamp_accepted, fields=("accepted_at",)),
    Effect("complaint_store_decline", before=_store_decline, fields=("decline_reason", "declined_at")),
    Effect("complaint_take_over", before=_take_over, fields=("assigned_to", "assigned_at")),
    Effect("complaint_notify_department", after=_notify_department),
    Effect("complaint_store_finding", before=_store_finding, fields=("finding", "findings_text", "handled_at")),
    Effect("complaint_store_reply", before=_store_reply, fields=("reply", "replied_at", "reopen_until")),
    Effect("complaint_settle_outcome", before=_settle_outcome, fields=("outcome", "closed_at")),
    Effect("complaint_store_rating", before=_store_rating, fields=("rating", "rating_comment", "rated_at")),
    Effect("complaint_reopen", before=_reopen, fields=("reopened_count", *REOPEN_CLEARS)),
    Effect("complaint_withdrawn", before=_withdrawn, fields=("outcome", "closed_at")),
)
