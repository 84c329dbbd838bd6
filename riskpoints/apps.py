from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskpointsConfig(AppConfig):
    name = "riskpoints"
    verbose_name = _("廉政风险防控")
