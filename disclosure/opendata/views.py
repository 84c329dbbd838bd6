"""The open data pages (no login): the dataset list with sizes, dates and checksums,
the file downloads (streamed from Django's storage) and the DCAT catalogue."""

import base64
import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config.db_router import reads_from_replica
from disclosure.opendata import dcat, selectors
from disclosure.pages import display_mode
from disclosure.opendata.models import DatasetFile

CATALOGUE_TITLE = "行政权力公开目录开放数据"
CATALOGUE_DESCRIPTION = "各级政府部门公开的行政职权目录、权力运行流程图等数据集,按公开批次和全省汇总提供 CSV、XLSX、JSON 下载。"


def _public(response, seconds=300):
    patch_cache_control(response, public=True, max_age=seconds)
    return response


@require_safe
@reads_from_replica
def datasets_page(request):
    datasets = list(selectors.open_datasets())
    return _public(render(request, "disclosure/opendata/datasets.html", {
        "provinces": [d for d in datasets if d.scope == d.Scope.PROVINCE],
        "publications": [d for d in datasets if d.scope == d.Scope.PUBLICATION],
        "display_mode": display_mode(request),
    }), 60)


@require_safe
@reads_from_replica
def download(request, identifier, fmt):
    if fmt not in DatasetFile.Format.values:
        raise Http404(_("没有该数据文件。"))
    row = selectors.open_file(identifier, fmt)
    try:
        stream = row.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("数据文件正在重新生成,请稍后再试。")) from None
    response = FileResponse(stream, as_attachment=fmt != "sha256", filename=row.filename,
                            content_type=row.media_type + ("; charset=utf-8" if fmt in ("csv", "json", "sha256") else ""))
    response["ETag"] = f'"{row.sha256}"'
    response["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(row.sha256)).decode()
    return _public(response, 3600)


def _document(request):
    return dcat.catalogue(selectors.open_datasets(), absolute=request.build_absolute_uri,
                          title=CATALOGUE_TITLE, description=CATALOGUE_DESCRIPTION)


@require_safe
@reads_from_replica
def catalogue_jsonld(request):
    body = json.dumps(_document(request), ensure_ascii=False, indent=2)
    return _public(HttpResponse(body, content_type="application/ld+json; charset=utf-8"))


@require_safe
@reads_from_replica
def catalogue_turtle(request):
    return _public(HttpResponse(dcat.turtle(_document(request)), content_type="text/turtle; charset=utf-8"))
