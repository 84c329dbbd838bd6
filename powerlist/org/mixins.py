"""The one view mixin for permission checks: views name a predicate, never a role test."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from powerlist.org.permissions import has_workspace_role


class RoleRequiredMixin(LoginRequiredMixin):
    """Refuses (403 with the reason) a user who does not hold `required_role`."""

    required_role = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        decision = has_workspace_role(request.user, self.get_required_role())
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)

    def get_required_role(self):
        return self.required_role
