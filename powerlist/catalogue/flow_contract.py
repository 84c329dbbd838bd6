"""The power's side of the flow contract: what the review engine calls on a power."""

from powerlist.catalogue.models import Power
from powerlist.catalogue.services import power_freeze_revision, power_review_precheck, power_snapshot
from powerlist.org.permissions import can_view_item
from powerlist.review.contract import FlowContract


class PowerContract(FlowContract):
    model = Power
    queue_template = "powerlist/includes/power_queue_table.html"

    def queue_queryset(self):
        return Power.objects.select_related("category", "department", "division", "region")

    def precheck(self, obj, action):
        power_review_precheck(power=obj, action=action)

    def snapshot(self, obj):
        return power_snapshot(obj)

    def put_in_force(self, obj, user):
        power_freeze_revision(power=obj)

    def can_view(self, user, obj):
        return can_view_item(user, obj)

    def describe(self, obj):
        return f"{obj.code} {obj.name}"
