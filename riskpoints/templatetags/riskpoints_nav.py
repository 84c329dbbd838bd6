"""The risk-point tabs: each tab shows only when the predicate its page asks allows it,
so no tab leads to a 403 page."""

from django import template
from django.utils.translation import gettext_lazy as _

from riskpoints.permissions import can_import_riskpoints, can_open_queue, can_view_coverage

register = template.Library()


def _always(user):
    return True


# (key, URL name, label, the predicate of the page it opens)
TABS = (
    ("list", "riskpoints:list", _("风险点"), _always),
    ("queue", "riskpoints:queue", _("待办"), can_open_queue),
    ("coverage", "riskpoints:coverage", _("覆盖情况"), can_view_coverage),
    ("benchmarks", "riskpoints:benchmark_list", _("自由裁量基准"), _always),
    ("import", "riskpoints:import", _("Excel 导入"), can_import_riskpoints),
)


@register.inclusion_tag("riskpoints/includes/tabs.html", takes_context=True)
def riskpoint_tabs(context, current=""):
    user = context["user"]
    tabs = [{"key": key, "url_name": url_name, "label": label}
            for key, url_name, label, allowed in TABS if allowed(user)]
    return {"tabs": tabs, "current": current}
