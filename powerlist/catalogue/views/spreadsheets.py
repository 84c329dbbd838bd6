"""Spreadsheet pages: upload an import, download the template, export a list."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from powerlist.catalogue.forms import PowerFilterForm
from powerlist.catalogue.models import ImportUpload
from powerlist.catalogue.selectors import power_list
from powerlist.catalogue.spreadsheets import (
    EXPORT_STREAM_LIMIT,
    import_upload_columns,
    import_upload_create,
    import_upload_passed,
    import_upload_preview,
    power_export,
    power_export_start,
    power_import_start,
    power_template,
    require_clerk_of,
    workbook_read,
)
from powerlist.catalogue.spreadsheets.columns import IMPORT_FIELDS
from powerlist.catalogue.spreadsheets.imports import WORKBOOK_SUFFIXES
from powerlist.catalogue.spreadsheets.layouts import (
    export_layout_for,
    layout_filename,
    power_export_layout,
    power_export_layout_start,
)
from powerlist.jobs.models import Job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the file picker offers: the suffixes the import reads and their media types.
IMPORT_ACCEPT = ",".join((*WORKBOOK_SUFFIXES, XLSX, "application/vnd.ms-excel",
                          "application/vnd.oasis.opendocument.spreadsheet"))


class PowerImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("表格文件(.xlsx、.xls 或 .ods)"),
        widget=forms.ClearableFileInput(attrs={"accept": IMPORT_ACCEPT}),
    )

    def clean_file(self):
        """The name says a workbook, the size is within the limit, and the content reads
        as one: every worksheet is read here (python-calamine tells .xlsx, .xls and .ods
        apart by their bytes, not by the name), so a damaged or disguised file is refused
        on this page, with the reason, instead of failing in the preview."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(WORKBOOK_SUFFIXES):
            raise ValidationError(_("只能上传 .xlsx、.xls 或 .ods 格式的表格文件;.csv 等其他格式请先用 Excel 或 WPS "
                                    "另存为 .xlsx。"))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(_("文件太大(%(size)s),不能超过 %(limit)s。") % {
                "size": filesizeformat(upload.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)})
        workbook_read(upload)
        upload.seek(0)
        return upload


def _xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class ColumnMappingForm(forms.Form):
    """One select per column of the sheet (col-<index>): the import field it fills."""

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", gettext_lazy("不导入"))] + list(IMPORT_FIELDS.items())
        for column in columns:
            self.fields[f"col-{column.index}"] = forms.ChoiceField(
                label=column.header or _("(无表头)第%(n)s列") % {"n": column.index + 1},
                choices=choices, required=False, initial=column.field,
            )

    def mapping(self):
        """The posted columns only: a column not posted keeps how it was recognised."""
        return {name.removeprefix("col-"): value for name, value in self.cleaned_data.items() if name in self.data}


@login_required
def power_import_view(request):
    """Upload form; a valid workbook is kept for its preview, where the clerk checks the
    column mapping and the counts before anything is imported."""
    department = require_clerk_of(request.user, request.user.department)
    form = PowerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = import_upload_create(user=request.user, upload=form.cleaned_data["file"])
        return redirect("powerlist:power_import_preview", pk=upload.pk)
    recent = Job.objects.filter(user=request.user, kind="power_import")[:5]
    return render(request, "powerlist/import_form.html", {
        "form": form, "department": department, "recent": recent,
        "limit": settings.UPLOAD_MAX_BYTES,
    })


@login_required
def power_import_preview_view(request, pk):
    """The preview: the columns as mapped (a select each, posted back here to correct
    them), the counts to create and update and the row-by-row errors; "导入" queues the
    import job with the mapping shown. One dry run per request at most: the posted form
    is read against the columns the last one found, and "导入" with the mapping that last
    passed queues the job straight away (the job checks every row again)."""
    require_clerk_of(request.user, request.user.department)
    upload = get_object_or_404(ImportUpload, pk=pk, user=request.user)
    result = None
    if request.method == "POST":
        columns = import_upload_columns(upload)
        if columns is None:
            result = import_upload_preview(user=request.user, upload=upload)
            columns = result.columns
        form = ColumnMappingForm(request.POST, columns=columns)
        if form.is_valid():
            mapping = form.mapping()
            importing = request.POST.get("action") == "import"
            if importing and import_upload_passed(upload, mapping):
                job = power_import_start(user=request.user, upload=upload)
                return redirect("powerlist:job_detail", pk=job.pk)
            if result is None or mapping != upload.mapping:
                result = import_upload_preview(user=request.user, upload=upload, mapping=mapping)
            if importing and result.ok:
                job = power_import_start(user=request.user, upload=upload)
                return redirect("powerlist:job_detail", pk=job.pk)
    if result is None:
        result = import_upload_preview(user=request.user, upload=upload)
    form = ColumnMappingForm(columns=result.columns)
    return render(request, "powerlist/import_preview.html", {
        "upload": upload, "result": result, "form": form,
        "rows": [(column, form[f"col-{column.index}"]) for column in result.columns],
    })


@login_required
def power_template_view(request):
    """The empty template with its example row and the 填写说明 sheet."""
    return _xlsx_response(power_template(user=request.user), "权力清单导入模板.xlsx")


@login_required
def power_export_view(request):
    """The current filtered list as the template filled in; large lists become a job."""
    form = PowerFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    large = power_list(user=request.user, filters=filters).count() > EXPORT_STREAM_LIMIT
    if request.GET.get("layout") == "region" and request.user.department_id:
        if large:
            job = power_export_layout_start(user=request.user, filters=filters)
            return redirect("powerlist:job_detail", pk=job.pk)
        layout = export_layout_for(request.user.department.region)
        return _xlsx_response(power_export_layout(user=request.user, filters=filters, layout=layout),
                              layout_filename(layout))
    if large:
        job = power_export_start(user=request.user, filters=filters)
        return redirect("powerlist:job_detail", pk=job.pk)
    return _xlsx_response(power_export(user=request.user, filters=filters),
                          f"权力清单-{timezone.localdate():%Y%m%d}.xlsx")
