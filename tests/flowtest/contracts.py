from powerlist.org.permissions import can_view_item
from powerlist.review.contract import FlowContract
from tests.flowtest.models import ShortRecord, Ticket


class ShortRecordContract(FlowContract):
    model = ShortRecord
    # Kept off the workspace so the portal's own page tests count only the portal's
    # kinds; the workspace test of these flows switches it on.
    on_workspace = False
    queue_ordering = ("state_changed_at", "id")

    def snapshot(self, obj):
        return {"title": obj.title}

    def can_view(self, user, obj):
        return can_view_item(user, obj)


class TicketContract(FlowContract):
    model = Ticket
    on_workspace = False
    queue_ordering = ("state_changed_at", "id")

    def can_view(self, user, obj):
        return can_view_item(user, obj)
