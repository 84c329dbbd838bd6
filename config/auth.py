"""Login lockout (django-axes) and the client address that lockout and API throttling count by."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request):
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse proxies, the
    address the outermost trusted proxy saw (X-Forwarded-For counted from the right, so a
    client cannot choose its own address by sending the header itself)."""
    meta = getattr(request, "META", {})
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return meta.get("REMOTE_ADDR")


class LockoutBackend(AxesStandaloneBackend):
    """Refuses every login for a locked-out username or address (AXES_LOCKOUT_PARAMETERS),
    before ModelBackend checks the password, so the right password does not help either.

    A call to authenticate() without a request (Django's test Client.login, a shell) has no
    client to count and is passed on unchecked; every login over HTTP (the login page, the
    admin login, DRF) passes its request and is checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a locked-out login (AXES_LOCKOUT_CALLABLE): the lockout page, or JSON
    for the API and script clients; 429 either way. It names neither the username nor
    whether it exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/") or request.headers.get("x-requested-with") == "XMLHttpRequest":
        message = _("登录失败次数过多,已被暂时锁定;请在 %(minutes)s 分钟后重试,或联系系统管理员解锁。") % {
            "minutes": minutes
        }
        return JsonResponse({"detail": message}, status=429)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked.html", context, status=429)
