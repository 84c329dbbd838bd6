"""The public download of a ready PDF, streamed from the configured storage (local disk
or an S3-compatible store), so it works whichever node rendered it."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from disclosure.pdf.selectors import ready_file


@require_safe
def pdf_download(request, file_id):
    f = ready_file(file_id)
    if f is None:
        raise Http404(_("该文件不存在或尚未生成。"))
    if f.published_power_id:
        filename = f"{f.published_power.code}-v{f.published_power.version}.pdf"
    else:
        filename = f"{f.publication.department.name}-第{f.publication.number}批公开目录.pdf"
    response = FileResponse(f.file.open("rb"), content_type="application/pdf", filename=filename)
    response["Content-Length"] = str(f.size)
    response["ETag"] = f'"{f.sha256}"'
    response["X-Content-SHA256"] = f.sha256
    # A file never changes once written (a new publication writes a new file).
    response["Cache-Control"] = "public, max-age=86400, immutable"
    return response
