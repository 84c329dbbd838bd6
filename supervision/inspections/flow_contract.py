"""The rectification's side of the flow contract: what the engine calls on a rectification."""

from powerlist.review.contract import FlowContract
from supervision.inspections.permissions import can_view_supervised
from supervision.models import Rectification


class RectificationContract(FlowContract):
    model = Rectification
    # In the workspace: the clerk's queue (to file) and the supervisor's (to check).
    on_workspace = True
    queue_ordering = ("deadline", "id")
    queue_template = "supervision/includes/rectification_table.html"

    def queue_queryset(self):
        return Rectification.objects.select_related("department__region", "region", "finding")

    def can_view(self, user, obj):
        return can_view_supervised(user, obj)

    def describe(self, obj):
        return f"{obj.department.name}整改:{obj.requirement[:30]}"
