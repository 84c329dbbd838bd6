import logging

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from powerlist.catalogue.spreadsheets import import_upload_cleanup, power_export_to, power_import
from powerlist.catalogue.spreadsheets.layouts import power_export_layout_to
from powerlist.jobs.models import Job
from powerlist.org.models import Department
from powerlist.jobs.runner import job_finish, job_progress, job_run_export


@shared_task(name="powerlist.tasks.power_import_task")
def power_import_task(job_id):
    """Run an uploaded power import (Job kind "power_import"); the outcome, with the
    row-by-row errors, lands in the job for the user's job page."""
    job = Job.objects.select_related("user__department", "user__division").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, message=_("正在读取文件…"))
    # The department the file was checked and queued for (power_import_start), never the
    # one the clerk has moved to since; power_import refuses if they no longer clerk it.
    department = Department.objects.select_related("region").filter(pk=job.params.get("department")).first()
    try:
        with job.input_file.open("rb") as upload:
            result = power_import(
                user=job.user, department=department or job.user.department, rows_or_file=upload,
                progress=job_progress(job.pk), mapping=job.params.get("mapping") or None,
            )
    except (PermissionDenied, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        job_finish(job, state=Job.State.FAILED, message=message)
        return {"ok": False}
    except Exception:
        logging.getLogger(__name__).exception("power import %s failed", job_id)
        job_finish(job, state=Job.State.FAILED, message=_("导入失败:系统错误,未保存任何数据。请稍后重试或联系管理员。"))
        return {"ok": False}
    outcome = result.outcome()
    job.progress = job.total = result.total
    job.save(update_fields=["progress", "total"])
    job_finish(job, state=Job.State.SUCCEEDED if result.ok else Job.State.FAILED,
                message=_("导入完成") if result.ok else _("导入未通过检查"), result=outcome)
    return {"ok": result.ok}


@shared_task(name="powerlist.tasks.power_export_task")
def power_export_task(job_id):
    """Export a large visible power list (Job kind "power_export", params["filters"])
    into job.output_file."""
    return job_run_export(
        job_id,
        write=power_export_to,
        filename="权力清单-{date:%Y%m%d}.xlsx",
        failed=lambda: _("导出失败:系统错误。请稍后重试或联系管理员。"),
        done=lambda n: (_("已导出 %(n)s 项。") % {"n": n}, _("已导出 %(n)s 项,请下载结果文件。") % {"n": n}),
    )


@shared_task(name="powerlist.tasks.power_export_layout_task")
def power_export_layout_task(job_id):
    """Export a large visible power list in the region's layout (Job kind
    "power_export_layout", params["filters"], params["filename"]) into job.output_file."""
    filename = Job.objects.values_list("params__filename", flat=True).get(pk=job_id) or "权责清单.xlsx"
    return job_run_export(
        job_id,
        write=power_export_layout_to,
        filename=filename.replace("{", "{{").replace("}", "}}"),
        failed=lambda: _("导出失败:系统错误。请稍后重试或联系管理员。"),
        done=lambda n: (_("已导出 %(n)s 项。") % {"n": n}, _("已导出 %(n)s 项,请下载结果文件。") % {"n": n}),
    )


@shared_task(name="powerlist.import_upload_cleanup")
def import_upload_cleanup_task():
    """Nightly (CELERY_BEAT_SCHEDULE): remove the import uploads past their retention."""
    return {"removed": import_upload_cleanup()}
