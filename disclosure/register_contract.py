"""The register's side of the flow contract: what the engine calls on non-disclosure
entries, adjustment notes and retractions (registered in DisclosureConfig.ready)."""

from django.db import transaction

from powerlist.org.permissions import can_view_item
from powerlist.review.contract import FlowContract

from disclosure.cache import public_cache_invalidate
from disclosure.opendata.services import datasets_redo
from disclosure.pdf.services import publication_directories_redo
from disclosure.register import AdjustmentNote, NonDisclosure, Retraction
from disclosure.register_services import public_search_sync


class _PublicEffect:
    def put_in_force(self, obj, user):
        # Recording, lapsing or retracting changes what the public pages, search and
        # files show: the search rows change in this transaction, the directory PDFs and
        # bulk files that hold the power are withdrawn here and rebuilt after the commit.
        if getattr(obj, "power_id", None):
            public_search_sync(power_id=obj.power_id)
            publication_directories_redo(power_id=obj.power_id)
            datasets_redo(power_id=obj.power_id)
        transaction.on_commit(public_cache_invalidate)

    def can_view(self, user, obj):
        return can_view_item(user, obj)


class NonDisclosureContract(_PublicEffect, FlowContract):
    model = NonDisclosure
    queue_ordering = ("submitted_at", "id")

    def queue_queryset(self):
        return NonDisclosure.objects.select_related("department", "region", "power")

    def snapshot(self, obj):
        return {"power": obj.power_id, "kind": obj.kind, "ground": obj.ground, "legal_basis": obj.legal_basis,
                "reason": obj.reason, "expected_date": obj.expected_date.isoformat() if obj.expected_date else ""}


class AdjustmentNoteContract(_PublicEffect, FlowContract):
    model = AdjustmentNote
    queue_ordering = ("submitted_at", "id")

    def snapshot(self, obj):
        return {"title": obj.title, "reason": obj.reason, "ground": obj.ground,
                "effective_date": obj.effective_date.isoformat(),
                "items": [{"change": i.change, "code": i.code, "name": i.name, "detail": i.detail}
                          for i in obj.items.all()]}


class RetractionContract(_PublicEffect, FlowContract):
    model = Retraction
    # Created and taken in one office action (disclosure.register_services.power_retract):
    # nothing ever waits in a queue.
    on_workspace = False
    queue_ordering = ("created_at", "id")

    def queue_queryset(self):
        return Retraction.objects.select_related("department", "region", "power")
