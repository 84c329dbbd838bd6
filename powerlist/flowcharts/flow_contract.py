"""The flowchart's side of the flow contract: what the review engine calls on a chart."""

from powerlist.flowcharts.content import flowchart_snapshot
from powerlist.flowcharts.models import Flowchart
from powerlist.flowcharts.services import flowchart_freeze_revision, flowchart_precheck
from powerlist.org.permissions import can_view_item
from powerlist.review.contract import FlowContract


class FlowchartContract(FlowContract):
    model = Flowchart
    queue_template = "powerlist/includes/flowchart_queue_table.html"

    def queue_queryset(self):
        return Flowchart.objects.select_related("category", "department", "region", "power")

    def precheck(self, obj, action):
        flowchart_precheck(flowchart=obj, action=action)

    def snapshot(self, obj):
        return flowchart_snapshot(obj)

    def put_in_force(self, obj, user):
        flowchart_freeze_revision(flowchart=obj)

    def can_view(self, user, obj):
        return can_view_item(user, obj)
