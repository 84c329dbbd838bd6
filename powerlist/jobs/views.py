"""Progress of background jobs (imports, exports, PDFs)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from powerlist.jobs.kinds import job_description
from powerlist.jobs.models import Job


@login_required
def job_detail(request, pk):
    """What the job is and its progress, with the way back to where it was started; the
    page refreshes itself (htmx, or a meta refresh without JS)."""
    job = get_object_or_404(Job, pk=pk, user=request.user)
    template = "powerlist/includes/job_progress.html" if request.htmx else "powerlist/job_detail.html"
    return render(request, template, {"job": job, "about": job_description(job)})


@login_required
def job_download(request, pk):
    job = get_object_or_404(Job, pk=pk, user=request.user)
    if not job.output_file:
        raise Http404
    return FileResponse(job.output_file.open("rb"), as_attachment=True,
                        filename=job.output_file.name.rsplit("/", 1)[-1])
