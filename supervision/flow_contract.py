"""The alert's side of the flow contract: what the engine calls on an alert."""

from django.urls import reverse

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
        return str(obj)  # "黄牌 SP-0001 环节超时": kind, case number, rule

    def urls(self, objs):
        """The alerts' detail URLs from one reverse(): the pattern is alerts/<int:pk>/, so
        the URL of one id is that of another with the id replaced (reverse() per alert
        was ~70 µs of the ~0.5 ms it took to raise one)."""
        sentinel = 918273645546372819
        template = reverse("supervision:alert_detail", args=[sentinel])
        head, found, tail = template.partition(str(sentinel))
        if not found or str(sentinel) in tail:
            return super().urls(objs)
        return [f"{head}{obj.pk}{tail}" for obj in objs]
