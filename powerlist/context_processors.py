from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powerlist.org.roles import Role

# Workspace pages, one per role: (role, url slug, label).
WORKSPACE_PAGES = (
    (Role.CLERK, "clerk", _("我的事项")),
    (Role.DEPARTMENT_REVIEWER, "department-review", _("部门审核")),
    (Role.OFFICE_REVIEWER, "office-review", _("办公室审核")),
    (Role.ESTABLISHMENT_CONFIRMER, "establishment-confirmation", _("编委办确认")),
    (Role.LEGAL_CONFIRMER, "legal-confirmation", _("法制办确认")),
    (Role.EXPERT, "expert", _("专家评审")),
    (Role.SUPERVISOR, "supervision", _("监督")),
    (Role.ADMINISTRATOR, "administration", _("系统管理")),
)


def navigation(request):
    """Role-aware navigation links for the base layout."""
    user = getattr(request, "user", None)
    links = []
    if user is not None and user.is_authenticated:
        # Held roles only (no query for stand-in grants on every page): a stand-in finds
        # the department-review page on the workspace's cards.
        roles = user.role_set()
        for role, slug, label in WORKSPACE_PAGES:
            if role in roles:
                links.append({"label": label, "url": reverse("powerlist:workspace_role", args=[slug])})
    return {"nav_links": links}
