"""Error answers under /api/ are JSON, like every other API answer.

Django's handler404/handler500 render HTML pages; for a path under /api/ (a URL that no
route matches, e.g. /api/v1/powers/abc/ or /api/v1/nothing/) they answer
{"detail": "..."} with the same status instead. DRF's own views already answer JSON.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request):
    return request.path.startswith(API_PREFIX)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("服务器内部错误。")}, status=500)
    return defaults.server_error(request)


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("请求无效。")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        reason = str(exception) if exception is not None and str(exception) else _("您没有执行该操作的权限。")
        return JsonResponse({"detail": reason}, status=403)
    return defaults.permission_denied(request, exception)
