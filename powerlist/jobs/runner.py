"""The body every background job shares: progress reports, finishing a job, the export
runner, and job_start, through which services queue a task by name (so services never
import the task modules that call them)."""

import logging
import tempfile

from celery import current_app
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.jobs.models import Job


def job_progress(job_id):
    def report(done, total, message=""):
        fields = {"progress": done, "total": total}
        if message:
            fields["message"] = message
        Job.objects.filter(pk=job_id).update(**fields)

    return report


def job_run_export(job_id, *, write, filename, failed, done):
    """The body of every export task: marks the job running, calls
    `write(stream, user=, filters=, progress=)` (returns the row count) with the job's
    user and filters, saves the file as `filename` (formatted with today's `date`) and
    finishes the job. `failed()` and `done(n) -> (message, summary)` give the user's
    texts. An unexpected error is logged and shown as `failed()`, never a stack trace."""

    job = Job.objects.select_related("user__department").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, message=_("正在导出…"))
    try:
        with tempfile.TemporaryFile() as stream:
            count = write(stream, user=job.user, filters=job.params.get("filters") or {},
                          progress=job_progress(job.pk))
            stream.seek(0)
            job.output_file.save(filename.format(date=timezone.localdate()), File(stream), save=False)
    except Exception:
        logging.getLogger(__name__).exception("export job %s failed", job_id)
        job_finish(job, state=Job.State.FAILED, message=failed())
        return {"ok": False}
    job.progress = job.total = count
    job.save(update_fields=["output_file", "progress", "total"])
    message, summary = done(count)
    job_finish(job, state=Job.State.SUCCEEDED, message=message, result={"summary": summary})
    return {"ok": True, "rows": count}


def job_finish(job, *, state, message, result=None):
    job.state, job.message, job.finished_at = state, message, timezone.now()
    fields = ["state", "message", "finished_at"]
    if result is not None:
        job.result = result
        fields.append("result")
    job.save(update_fields=fields)


def job_start(*, kind, user, task, message, params=None, input_file=None):
    """Create a pending Job and queue the Celery task named `task` with the job's id
    once the transaction commits (nothing is queued if it rolls back). The task is
    looked up by name, so a service never imports the task module that calls it back;
    each task module is imported by its app at start-up (AppConfig.ready)."""
    fields = {"kind": kind, "user": user, "params": params or {}, "message": message}
    if input_file is not None:
        fields["input_file"] = input_file
    with transaction.atomic():
        job = Job.objects.create(**fields)
        transaction.on_commit(lambda: current_app.tasks[task].delay(str(job.pk)))
    return job
