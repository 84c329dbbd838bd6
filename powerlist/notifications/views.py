"""The inbox page and its mark-read forms (plain POST forms: no JavaScript needed)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from powerlist.notifications.selectors import notification_list
from powerlist.notifications.services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 20


@login_required
def inbox_view(request):
    """The user's notices, newest first; ?show=unread keeps the unread ones only."""
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(notification_list(user=request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "powerlist/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "querystring": "show=unread" if unread_only else "",
            "next": request.get_full_path(),
        },
    )


@login_required
@require_POST
def notification_read_view(request, pk):
    notification_mark_read(user=request.user, notification_id=pk)
    return _back(request)


@login_required
@require_POST
def notification_read_all_view(request):
    notification_mark_all_read(user=request.user)
    return _back(request)


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect(reverse("notifications:inbox"))
