"""Sends a user whose password an administrator set to the change-password page first."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class PasswordChangeRequiredMiddleware:
    """While `user.must_change_password` is set, every page redirects to the
    change-password page (API calls answer 403), except that page itself, logging out,
    switching the language and static or media files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not self._exempt(request.path_info)
        ):
            reason = _("管理员为您设置了临时密码,请先修改密码。")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=403)
            messages.warning(request, reason)
            target = reverse("powerlist:password_change")
            if request.method == "GET" and request.path_info != reverse(settings.LOGIN_REDIRECT_URL):
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _exempt(path):
        allowed = (
            reverse("powerlist:password_change"),
            reverse("logout"),
            reverse("set_language"),
            reverse("javascript-catalog"),
        )
        prefixes = tuple(f"/{p.lstrip('/')}" for p in (settings.STATIC_URL, settings.MEDIA_URL))
        return path in allowed or path.startswith(prefixes)
