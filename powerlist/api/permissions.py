"""The API's one permission class: it asks the same predicates as the pages.

No rule lives here. Each check calls a predicate of powerlist.permissions and, when
it refuses, hands its reason to DRF, so the 403 body says why
({"detail": "此操作需要“部门审核人”角色。"}).
"""

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from powerlist.permissions import can_create_in, can_edit_item, can_view_item, deny, has_workspace_role


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

