from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督")

    def ready(self):
        from powerlist.org.roles import Role
        from powerlist.review.contract import contract_register
        from powerlist.workspace.panels import register_role_panel
        from supervision.flow_contract import AlertContract
        from supervision.inspections.flow_contract import RectificationContract
        from supervision.panels import department_alerts_panel_context, overdue_panel_context

        contract_register(AlertContract())
        _complaints_ready()
        contract_register(RectificationContract())
        _assessment_ready()
        # Replaces powerlist's empty placeholder registered under the same key.
        register_role_panel("supervision-alerts", roles=[Role.SUPERVISOR],
                            template="supervision/includes/overdue_panel.html", context=overdue_panel_context, order=20)
        register_role_panel("supervision-department-alerts", roles=[Role.CLERK, Role.DEPARTMENT_REVIEWER],
                            template="supervision/includes/department_alerts_panel.html",
                            context=department_alerts_panel_context, order=20)


def _complaints_ready():
    from powerlist.org.roles import principal_role_register
    from powerlist.review.contract import contract_register
    from powerlist.review.engine import effect_register
    from supervision.complaints.flow import COMPLAINANT, COMPLAINANT_LABEL
    from supervision.complaints.flow_contract import COMPLAINT_EFFECTS, ComplaintContract

    from powerlist.org.roles import Role
    from powerlist.workspace.panels import register_role_panel
    from supervision.complaints import checks  # noqa: F401  (registers supervision.E201)
    from supervision.complaints.selectors import complaints_panel_context

    principal_role_register(COMPLAINANT, COMPLAINANT_LABEL)
    register_role_panel("supervision-complaints", roles=[Role.SUPERVISOR],
                        template="supervision/complaints/includes/panel.html", context=complaints_panel_context,
                        order=25)
    for effect in COMPLAINT_EFFECTS:
        effect_register(effect)
    contract_register(ComplaintContract())


def _assessment_ready():
    from django.utils.translation import gettext_lazy as _

    from powerlist.jobs.kinds import register_job_kind
    from supervision.assessment import tasks  # noqa: F401  (registers the task names job_start uses)

    register_job_kind("assessment_export", title=_("导出绩效考核结果"), back_url_name="supervision:assessment",
                      back_label=_("返回绩效考核"))
