"""/api/v1/supervision/: the intake of case events from the departments' approval systems.

A system signs in with its service user's token (`Authorization: Token …`); its scope is
its department. Errors follow the portal's contract (powerlist.api.ServiceErrorsMixin):
a fault is a 400 whose keys name the fields ("events[3].step")."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from powerlist.api import ServiceErrorsMixin
from supervision.models import CaseSystem
from supervision.services.intake import events_intake


def system_of(user):
    try:
        return user.case_system
    except CaseSystem.DoesNotExist:
        return None


class IsCaseSystem(BasePermission):
    message = _("只有已登记的审批系统接口账号可以推送办件事件。")

    def has_permission(self, request, view):
        system = system_of(request.user) if request.user and request.user.is_authenticated else None
        return system is not None and system.is_active


def event_result(event):
    """The stored event as the answer reports it (the same for the first push and a replay)."""
    return {"event_id": event.event_id, "case": event.case.number, "kind": event.kind,
            "occurred_at": timezone.localtime(event.occurred_at).isoformat(),
            "recorded_at": timezone.localtime(event.received_at).isoformat()}


class EventIntakeView(ServiceErrorsMixin, APIView):
    """POST one event (an object) or a batch ({"events": [...]}, at most 500)."""

    permission_classes = [IsCaseSystem]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        system = system_of(request.user)
        body = request.data
        batch = isinstance(body, dict) and "events" in body
        events = body["events"] if batch else [body]
        stored = events_intake(department=system.department, actor=request.user, events=events, system=system,
                               batch=batch)
        return Response({"events": [event_result(e) for e in stored]})
