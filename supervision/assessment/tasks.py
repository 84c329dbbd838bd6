"""Celery entry points of the assessment (imported by SupervisionConfig.ready)."""

from celery import shared_task
from django.utils.translation import gettext as _

from powerlist.jobs.runner import job_run_export
from supervision.assessment.exports import assessment_pdf_to, assessment_xlsx_to
from supervision.assessment.services import assessment_publish_month


def _done(n):
    return _("已导出 %(n)s 个部门的考核结果。") % {"n": n}, _("已导出 %(n)s 个部门,请下载结果文件。") % {"n": n}


@shared_task(name="supervision.assessment_export_xlsx")
def assessment_export_xlsx(job_id):
    return job_run_export(job_id, write=assessment_xlsx_to, filename="绩效考核-{date:%Y%m%d}.xlsx",
                          failed=lambda: _("导出失败:系统错误。"), done=_done)


@shared_task(name="supervision.assessment_export_pdf")
def assessment_export_pdf(job_id):
    return job_run_export(job_id, write=assessment_pdf_to, filename="绩效考核-{date:%Y%m%d}.pdf",
                          failed=lambda: _("导出失败:系统错误。"), done=_done)


@shared_task(name="supervision.assessment_publish_month")
def assessment_publish_month_task():
    """Beat, first day of each month: publish every region's quarter so far."""
    return assessment_publish_month()
