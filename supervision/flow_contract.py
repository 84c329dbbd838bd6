"""The alert's side of the flow contract: what the engine calls on an alert."""

from powerlist.review.contract import FlowContract
from supervision.models import Alert
from supervision.permissions import can_view_case


class AlertContract(FlowContract):
    model = Alert
    # Alerts have their own list and board; the review workspace's queues stay as they are.
    on_workspace = False
    queue_ordering = ("raised_at", "id")

    def queue_queryset(self):
        return Alert.objects.select_related("department", "region", "case")

    def can_view(self, user, obj):
        return can_view_case(user, obj.case)

    def describe(self, obj):
        return f"{obj.get_kind_display()} {obj.case.number} {obj.get_rule_display()}"
