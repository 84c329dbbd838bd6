from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("公开")

    def ready(self):
        from powerlist.catalogue.hooks import on_power_confirmed
        from powerlist.jobs.kinds import register_job_kind
        from powerlist.workspace.panels import register_power_panel, register_workspace_panel
        from disclosure import tasks  # noqa: F401  (registers the tasks the services queue by name)
        from disclosure.pdf.panels import pdf_panel_context
        from disclosure.register_views import retract_panel_context
        from disclosure.services import publication_auto_queue

        on_power_confirmed(publication_auto_queue)
        register_job_kind("publication_pdf", title=_("生成公开目录 PDF"), back_url_name="powerlist:workspace",
                          back_label=_("返回工作台"))
        register_workspace_panel("disclosure-pdfs", template="disclosure/includes/pdf_panel.html",
                                 context=pdf_panel_context, order=50)
        # The office reaches /retract/<power>/ from the power page.
        register_power_panel("disclosure-retract", template="disclosure/includes/retract_panel.html",
                             context=retract_panel_context, order=90)
        _register_flows()


def _register_flows():
    from powerlist.review.contract import contract_register
    from disclosure.register_contract import AdjustmentNoteContract, NonDisclosureContract, RetractionContract

    contract_register(NonDisclosureContract())
    contract_register(AdjustmentNoteContract())
    contract_register(RetractionContract())
