import logging

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from powerlist.jobs.runner import job_finish, job_progress, job_run_export
from powerlist.models import Job
from riskpoints.services.spreadsheets import riskpoint_export_to, riskpoint_import

logger = logging.getLogger(__name__)


@shared_task
def riskpoint_import_task(job_id):
    """Run an uploaded risk-point import (Job kind "riskpoint_import")."""

    job = Job.objects.select_related("user__department", "user__division").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, message=_("正在读取文件…"))
    try:
        with job.input_file.open("rb") as upload:
            result = riskpoint_import(user=job.user, file=upload, progress=job_progress(job.pk))
    except (PermissionDenied, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        job_finish(job, state=Job.State.FAILED, message=message)
        return {"ok": False}
    except Exception:
        logger.exception("risk point import %s failed", job_id)
        job_finish(job, state=Job.State.FAILED, message=_("导入失败:系统错误,未保存任何数据。"))
        return {"ok": False}
    job_finish(job, state=Job.State.SUCCEEDED if result["ok"] else Job.State.FAILED,
                message=_("导入完成") if result["ok"] else _("导入未通过检查"), result=result)
    return {"ok": result["ok"]}


@shared_task
def riskpoint_export_task(job_id):
    """Export the risk points and measures the user may read into job.output_file."""
    return job_run_export(
        job_id,
        write=riskpoint_export_to,
        filename="廉政风险点-{date:%Y%m%d}.xlsx",
        failed=lambda: _("导出失败:系统错误。"),
        done=lambda n: (_("已导出 %(n)s 个风险点。") % {"n": n}, _("已导出 %(n)s 个风险点,请下载结果文件。") % {"n": n}),
    )
