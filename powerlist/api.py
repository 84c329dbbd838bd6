"""What every API view of the portal shares: the one permission class and the error
contract.

PortalPermission asks the same predicates as the pages (powerlist.org.permissions); no
rule lives here. When a predicate refuses, its reason becomes the 403 body
({"detail": "此操作需要“部门审核人”角色。"}). ServiceErrorsMixin turns the services'
Django exceptions into API responses: PermissionDenied → 403 {"detail": reason};
Conflict (a stale version, powerlist.errors; TransitionConflict is one) → 409
{"detail": …}; ValidationError → 400 ({field: [messages]} or
{"detail": message}). E400 … E409 document those responses in the OpenAPI schema.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import BasePermission

from powerlist import errors
from powerlist.org.permissions import can_create_in, can_edit_item, can_view_item, deny, has_workspace_role


class PortalPermission(BasePermission):
    """Request level: signed in; `create` asks can_create_in for the user's department;
    a view with `required_role(request)` asks has_workspace_role.
    Object level: can_view_item, and can_edit_item for updates.

    Review transitions are left to the services, which check can_transition after
    locking the row, so a stale request is a conflict (409), not a refusal.
    """

    message = None

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(view, "action", None) == "create":
            department = user.department
            return self._decide(can_create_in(user, department) if department else deny(_("您的账号未分配部门。")))
        required_role = getattr(view, "required_role", None)
        if required_role is not None:
            return self._decide(has_workspace_role(user, required_role(request)))
        return True

    def has_object_permission(self, request, view, obj):
        decision = can_view_item(request.user, obj)
        if decision and getattr(view, "action", None) in ("update", "partial_update"):
            decision = can_edit_item(request.user, obj)
        return self._decide(decision)

    def _decide(self, decision):
        if not decision:
            self.message = decision.reason
        return bool(decision)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _validation_detail(exc):
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"detail": "; ".join(exc.messages)}


class ServiceErrorsMixin:
    """Turns the services' Django exceptions into API responses, keeping the reason."""

    def handle_exception(self, exc):
        if isinstance(exc, errors.Conflict):
            exc = Conflict("; ".join(exc.messages))
        elif isinstance(exc, ValidationError):
            exc = exceptions.ValidationError(_validation_detail(exc))
        elif isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) or None)
        return super().handle_exception(exc)


class ErrorSerializer(serializers.Serializer):
    """A refusal (403), a missing item (404) or a conflict (409): the reason to show."""

    detail = serializers.CharField()


# Error responses, for the OpenAPI schema.
E400 = OpenApiResponse(OpenApiTypes.OBJECT, description=gettext_lazy("输入有误:{字段: [说明]} 或 {detail: 说明}。"))


E403 = OpenApiResponse(ErrorSerializer, description=gettext_lazy("未登录,或无权执行;detail 说明原因。"))


E404 = OpenApiResponse(ErrorSerializer, description=gettext_lazy("事项不存在或您无权查看。"))


E409 = OpenApiResponse(
    ErrorSerializer, description=gettext_lazy("事项已被他人处理或修改(version 过期),请重新读取。")
)

