from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowerlistConfig(AppConfig):
    name = "powerlist"
    verbose_name = _("权力清单")

    def ready(self):
        # Imported here because services and tasks need the models loaded; ready() is
        # where Django lets an app wire itself once they are.
        from powerlist.catalogue.models import Power
        from powerlist.catalogue.services import power_freeze_revision, power_review_precheck, power_snapshot
        from powerlist.flowcharts.content import flowchart_snapshot
        from powerlist.flowcharts.models import Flowchart
        from powerlist.flowcharts.selectors import power_flowchart_panel
        from powerlist.flowcharts.services import flowchart_freeze_revision, flowchart_precheck
        from powerlist.jobs import tasks  # noqa: F401  (registers the task entry points job_start names)
        from powerlist.review.hooks import register_review_hooks
        from powerlist.workspace.panels import register_power_panel

        register_review_hooks(
            Power,
            precheck=lambda power, action: power_review_precheck(power=power, action=action),
            snapshot=power_snapshot,
            on_confirmed=lambda power, user: power_freeze_revision(power=power),
        )
        register_review_hooks(
            Flowchart,
            precheck=lambda chart, action: flowchart_precheck(flowchart=chart, action=action),
            snapshot=flowchart_snapshot,
            on_confirmed=lambda chart, user: flowchart_freeze_revision(flowchart=chart),
        )
        register_power_panel("flowchart", template="powerlist/flowchart_power_panel.html",
                             context=power_flowchart_panel, order=10)
