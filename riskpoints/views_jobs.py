"""Spreadsheet import and export pages (background jobs)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powerlist.catalogue.spreadsheets import workbook_open
from powerlist.models import Job
from riskpoints.forms import ImportForm, RiskPointFilterForm
from riskpoints.permissions import can_import_riskpoints
from riskpoints.services.spreadsheets import riskpoint_export_start, riskpoint_import_start


@login_required
def import_view(request):
    decision = can_import_riskpoints(request.user)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if not upload.name.lower().endswith(".xlsx") or upload.size > settings.UPLOAD_MAX_BYTES:
                raise ValidationError(_("只能上传不超过上限的 .xlsx 文件。"))
            workbook_open(upload).close()
            upload.seek(0)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            job = riskpoint_import_start(user=request.user, upload=upload)
            return redirect("powerlist:job_detail", pk=job.pk)
    recent = Job.objects.filter(user=request.user, kind="riskpoint_import")[:5]
    return render(request, "riskpoints/import.html", {"form": form, "recent": recent})


@login_required
@require_POST
def export_view(request):
    form = RiskPointFilterForm(request.POST)
    filters = form.filters()
    job = riskpoint_export_start(user=request.user, filters={k: v for k, v in filters.items()})
    return redirect("powerlist:job_detail", pk=job.pk)
