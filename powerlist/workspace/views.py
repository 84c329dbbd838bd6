"""The role-aware workspace: what waits for this user, one page per role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from powerlist.catalogue.models import Power
from powerlist.catalogue.selectors import category_list, power_list
from powerlist.context_processors import WORKSPACE_PAGES
from powerlist.inputs import IdField, page_filters
from powerlist.org.mixins import RoleRequiredMixin
from powerlist.org.permissions import acts_as, can_create_in
from powerlist.org.selectors import departments_in_scope
from powerlist.review.queues import flow_queues, is_own_work, queue_counts
from powerlist.workspace.panels import role_panels, workspace_panels

PAGE_BY_SLUG = {slug: (role, label) for role, slug, label in WORKSPACE_PAGES}
SLUG_BY_ROLE = {role: slug for role, slug, _label in WORKSPACE_PAGES}
QUEUE_LIMIT = 50


class QueueFilterForm(forms.Form):
    department = IdField(label=gettext_lazy("部门"))
    category = IdField(label=gettext_lazy("职权类别"))


class WorkspaceView(LoginRequiredMixin, TemplateView):
    """Overview: one card per role the user holds, with the count waiting."""

    template_name = "powerlist/workspace.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        roles = [role for role, _slug, _label in WORKSPACE_PAGES if acts_as(user, role)]
        counts = queue_counts(user=user, roles=roles)
        ctx["cards"] = [
            {
                "label": label,
                "url_slug": slug,
                "count": counts.get(role),
            }
            for role, slug, label in WORKSPACE_PAGES
            if role in roles
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
        # A mangled filter is left out with a message; the queue still shows.
        filters = {k: str(v) for k, v in page_filters(self.request, QueueFilterForm(self.request.GET)).items()}
        ctx.update(role=self.role, label=self.label, filters=filters, categories=category_list(),
                   departments=departments_in_scope(user=user, role=self.role))
        queues = flow_queues(user=user, role=self.role, filters=filters, limit=QUEUE_LIMIT)
        own_work = is_own_work(Power.flow, self.role)
        ctx.update(
            queues=queues,
            queue_total=sum(q.total for q in queues),
            queue_heading=_("草稿与退回修改") if own_work else _("等待我审核"),
            show_queue_filters=not own_work,
            can_create_power=bool(user.department and can_create_in(user, user.department)),
        )
        if own_work:
            ctx["in_review"] = (
                power_list(user=user, filters={})
                .exclude(state__in=["draft", "confirmed"])
                .order_by("-state_changed_at")[:QUEUE_LIMIT]
            )
        ctx["panels"] = role_panels(user=user, role=self.role)
        return ctx

