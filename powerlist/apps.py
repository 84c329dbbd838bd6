from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowerlistConfig(AppConfig):
    name = "powerlist"
    verbose_name = _("权力清单")

    def ready(self):
        # Imported here because services and tasks need the models loaded; ready() is
        # where Django lets an app wire itself once they are.
        from django.core import checks

        from powerlist.catalogue.flow_contract import PowerContract
        from powerlist.flowcharts.flow_contract import FlowchartContract
        from powerlist.flowcharts.selectors import power_flowchart_panel
        from powerlist.jobs import tasks  # noqa: F401  (registers the task entry points job_start names)
        from powerlist.org.administration.panels import register_administration_panels
        from powerlist.review.checks import check_flow_items
        from powerlist.review.contract import contract_register
        from powerlist.org.roles import Role
        from powerlist.workspace.panels import empty_context, register_power_panel, register_role_panel

        contract_register(PowerContract())
        contract_register(FlowchartContract())
        checks.register(check_flow_items)
        register_power_panel("flowchart", template="powerlist/flowchart_power_panel.html",
                             context=power_flowchart_panel, order=10)
        # The entrances to user administration (docs/administration.md).
        register_administration_panels()
        # The supervisor's alerts, empty until supervision registers the same key.
        register_role_panel("supervision-alerts", roles=[Role.SUPERVISOR], template="powerlist/includes/alerts_panel.html",
                            context=empty_context, order=90)
