"""Query parameters of the risk-point and benchmark lists (powerlist/inputs.py): typed
and bounded, so a bad value is a 400 naming the parameter and the schema documents
each one. The filtering itself is the selectors', as on the pages."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions

from powerlist.inputs import IdFilter, TextFilter, given
from powerlist.models import Power, ReviewState
from powerlist.org.permissions import can_view_item
from riskpoints import selectors as sel
from riskpoints.models import DiscretionBenchmark, RiskLevel, RiskPoint, Stage


class RiskPointFilter(django_filters.FilterSet):
    power = IdFilter(label=gettext_lazy("行政权力编号"))
    department = IdFilter(label=gettext_lazy("部门编号"))
    state = django_filters.ChoiceFilter(label=gettext_lazy("审核状态"), choices=ReviewState.choices)
    level = django_filters.ChoiceFilter(label=gettext_lazy("风险等级"), choices=RiskLevel.choices)
    stage = django_filters.ChoiceFilter(label=gettext_lazy("权力运行环节"), choices=Stage.choices)
    regrading = django_filters.BooleanFilter(label=gettext_lazy("只看需重新评级"))
    q = TextFilter(label=gettext_lazy("风险内容、事项名称或编码包含"))

    class Meta:
        model = RiskPoint
        fields = ["power", "department", "state", "level", "stage", "regrading", "q"]

    def filter_queryset(self, queryset):
        return sel.riskpoint_list(user=self.request.user, filters=given(self.form.cleaned_data))


class BenchmarkFilter(django_filters.FilterSet):
    """?power=<id>: that power's benchmarks. A power the user may not read answers
    404 exactly like a power that does not exist."""

    power = IdFilter(label=gettext_lazy("行政权力编号"))

    class Meta:
        model = DiscretionBenchmark
        fields = ["power"]

    def filter_queryset(self, queryset):
        power = None
        if self.form.cleaned_data.get("power"):
            power = Power.objects.select_related("region", "department").filter(
                pk=self.form.cleaned_data["power"]).first()
            if power is None or not can_view_item(self.request.user, power):
                raise exceptions.NotFound(_("事项不存在或您无权查看。"))
        return sel.benchmark_list(user=self.request.user, power=power)
