"""Query parameters of the power lists. The filtersets validate and document the
parameters; the filtering itself is the selectors', so the API and the pages
return the same rows for the same filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from powerlist.catalogue.models import Power
from powerlist.catalogue.selectors import power_list
from powerlist.inputs import IdFilter, TextFilter
from powerlist.org.roles import Role
from powerlist.catalogue.flow_contract import PowerContract
from powerlist.review.models import ReviewState
from powerlist.review.queues import queue_queryset

# The roles the power's flow waits for: each has a queue.
QUEUE_ROLES = sorted(role for role in Power.flow.roles() if Power.flow.waiting_for(role))


def _given(cleaned_data):
    return {key: value for key, value in cleaned_data.items() if value not in (None, "")}


class PowerFilter(django_filters.FilterSet):
    category = IdFilter(label=_("职权类别编号"))
    state = django_filters.ChoiceFilter(label=_("审核状态"), choices=ReviewState.choices)
    disposition = django_filters.ChoiceFilter(label=_("处理结果"), choices=Power.Disposition.choices)
    department = IdFilter(label=_("实施部门编号"))
    division = IdFilter(label=_("内部负责机构编号"))
    q = TextFilter(label=_("事项名称或编码包含"))

    class Meta:
        model = Power
        fields = ["category", "state", "disposition", "department", "division", "q"]

    def filter_queryset(self, queryset):
        return power_list(user=self.request.user, filters=_given(self.form.cleaned_data))


class ReviewQueueFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        label=_("以哪个角色查看待办"),
        choices=[(str(role), Role(role).label) for role in QUEUE_ROLES],
        required=True,
    )
    department = IdFilter(label=_("实施部门编号"))
    category = IdFilter(label=_("职权类别编号"))

    class Meta:
        model = Power
        fields = ["role", "department", "category"]

    def filter_queryset(self, queryset):
        filters = _given(self.form.cleaned_data)
        role = filters.pop("role")
        return queue_queryset(PowerContract(), user=self.request.user, role=role, filters=filters)
