"""The role-aware workspace: what waits for this user, one page per role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from powerlist.catalogue.selectors import category_list, power_list
from powerlist.context_processors import WORKSPACE_PAGES
from powerlist.org.mixins import RoleRequiredMixin
from powerlist.org.roles import Role
from powerlist.org.selectors import departments_in_scope
from powerlist.review.models import ReviewAction as A
from powerlist.review.queues import flowchart_queue_context, power_queue_counts, power_review_queue
from powerlist.workspace.panels import role_panels, workspace_panels

QUEUE_ROLES = (
    Role.CLERK,
    Role.DEPARTMENT_REVIEWER,
    Role.OFFICE_REVIEWER,
    Role.ESTABLISHMENT_CONFIRMER,
    Role.LEGAL_CONFIRMER,
)
PAGE_BY_SLUG = {slug: (role, label) for role, slug, label in WORKSPACE_PAGES}
SLUG_BY_ROLE = {role: slug for role, slug, _label in WORKSPACE_PAGES}
QUEUE_LIMIT = 50


class WorkspaceView(LoginRequiredMixin, TemplateView):
    """Overview: one card per role the user holds, with the count waiting."""

    template_name = "powerlist/workspace.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        roles = [r for r in QUEUE_ROLES if user.has_role(r)]
        counts = power_queue_counts(user=user, roles=roles)
        ctx["cards"] = [
            {
                "label": label,
                "url_slug": slug,
                "count": counts.get(role),
            }
            for role, slug, label in WORKSPACE_PAGES
            if user.has_role(role)
        ]
        ctx["panels"] = workspace_panels(user=user)
        return ctx


class WorkspaceRoleView(RoleRequiredMixin, TemplateView):
    """One role's queue. A user without the role gets 403 with the reason."""

    template_name = "powerlist/workspace_role.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["slug"] not in PAGE_BY_SLUG:
            raise Http404
        self.role, self.label = PAGE_BY_SLUG[kwargs["slug"]]
        return super().dispatch(request, *args, **kwargs)

    def get_required_role(self):
        return self.role

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        # Ids only: a mangled link shows the unfiltered queue rather than an error page.
        filters = {k: v for k in ("department", "category") if (v := self.request.GET.get(k, "")).isdigit()}
        ctx.update(role=self.role, label=self.label, filters=filters, categories=category_list(),
                   departments=departments_in_scope(user=user, role=self.role))
        if self.role in QUEUE_ROLES:
            queue = power_review_queue(user=user, role=self.role, filters=filters)
            ctx["queue"] = queue[:QUEUE_LIMIT]
            ctx["queue_total"] = queue.count()
            ctx["batch_actions"] = _batch_actions(self.role)
            ctx.update(flowchart_queue_context(user, self.role))
        if self.role == Role.CLERK:
            ctx["in_review"] = (
                power_list(user=user, filters={})
                .exclude(state__in=["draft", "confirmed"])
                .order_by("-state_changed_at")[:QUEUE_LIMIT]
            )
        ctx["panels"] = role_panels(user=user, role=self.role)
        return ctx


def _batch_actions(role):
    return {
        Role.CLERK: [A.SUBMIT],
        Role.DEPARTMENT_REVIEWER: [A.APPROVE, A.RETURN],
        Role.OFFICE_REVIEWER: [A.APPROVE, A.RETURN],
        Role.ESTABLISHMENT_CONFIRMER: [A.CONFIRM_ESTABLISHMENT, A.RETURN],
        Role.LEGAL_CONFIRMER: [A.CONFIRM_LEGAL, A.RETURN],
    }.get(role, [])
