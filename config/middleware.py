"""Requests carrying a NUL character are refused before any view sees them.

PostgreSQL cannot store or even compare NUL in text ("A string literal cannot contain
NUL (0x00) characters"), so a NUL that reaches a query is a server error; no form the
portal serves can send one. Checked: the path, every query-string and form value and
the names of uploaded files. JSON bodies are checked by their serializers (DRF's
CharField refuses NUL).
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def _carries_nul(request):
    if NUL in request.path:
        return True
    for values in request.GET.lists():
        if NUL in values[0] or any(NUL in value for value in values[1]):
            return True
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                             "multipart/form-data"):
        for key, values in request.POST.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
        for upload in request.FILES.values():
            if NUL in (upload.name or ""):
                return True
    return False


class RefuseNulMiddleware:
    """400 for a request with NUL in its path, query string or form (JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            message = _("请求中含有空字符(NUL),已拒绝。")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
