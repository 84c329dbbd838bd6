from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskpointsConfig(AppConfig):
    name = "riskpoints"
    verbose_name = _("廉政风险防控")

    def ready(self):
        from powerlist.catalogue.hooks import on_power_content_changed

        on_power_content_changed(_flag_for_regrading)


def _flag_for_regrading(*, power_ids, reason):
    from powerlist.models import Power
    from riskpoints.services.riskpoints import riskpoints_flag_for_regrading

    for power in Power.objects.filter(pk__in=power_ids):
        riskpoints_flag_for_regrading(power=power, reason=reason)
