"""The risk point's side of the flow contract: what the review engine calls on it."""

from powerlist.review.contract import FlowContract
from riskpoints.models import RiskPoint
from riskpoints.permissions import can_view_riskpoint
from riskpoints.services.riskpoints import riskpoint_on_confirmed, riskpoint_review_precheck, riskpoint_snapshot


class RiskPointContract(FlowContract):
    model = RiskPoint
    queue_template = "riskpoints/includes/riskpoint_queue_table.html"

    def queue_queryset(self):
        return RiskPoint.objects.select_related("power", "department", "region", "post")

    def precheck(self, obj, action):
        riskpoint_review_precheck(riskpoint=obj, action=action)

    def snapshot(self, obj):
        return riskpoint_snapshot(obj)

    def put_in_force(self, obj, user):
        riskpoint_on_confirmed(riskpoint=obj)

    def can_view(self, user, obj):
        return can_view_riskpoint(user, obj)
