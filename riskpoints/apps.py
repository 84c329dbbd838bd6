from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskpointsConfig(AppConfig):
    name = "riskpoints"
    verbose_name = _("廉政风险防控")

    def ready(self):
        # Imported here because services and tasks need the models loaded; ready() is
        # where Django lets an app wire itself into powerlist's extension points.
        from powerlist.catalogue.hooks import on_power_content_changed
        from powerlist.jobs.kinds import register_job_kind
        from powerlist.org.roles import Role
        from powerlist.review.contract import contract_register
        from powerlist.workspace.panels import register_power_panel, register_role_panel
        from riskpoints import tasks  # noqa: F401  (registers the task entry points job_start names)
        from riskpoints.flow_contract import RiskPointContract
        from riskpoints.panels import expert_panel_context, power_panel_context, stage_risks_panel_context
        from riskpoints.services.riskpoints import riskpoints_flag_powers_for_regrading

        on_power_content_changed(riskpoints_flag_powers_for_regrading)
        register_job_kind("riskpoint_import", title=_("导入廉政风险点"), back_url_name="riskpoints:import",
                          back_label=_("返回导入页面"))
        register_job_kind("riskpoint_export", title=_("导出廉政风险点"), back_url_name="riskpoints:list",
                          back_label=_("返回风险点列表"))
        contract_register(RiskPointContract())
        register_power_panel("riskpoints", template="riskpoints/includes/power_panel.html",
                             context=power_panel_context, order=20)
        register_power_panel("riskpoints-by-stage", template="riskpoints/includes/stage_risks_panel.html",
                             context=stage_risks_panel_context, order=15)
        register_role_panel("riskpoints-expert-queue", roles=[Role.EXPERT],
                            template="riskpoints/includes/expert_panel.html", context=expert_panel_context)
