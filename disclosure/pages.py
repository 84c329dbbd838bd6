"""The public pages' caching: rendered pages kept in the Django cache under the public
generation (disclosure.cache), ETag and Last-Modified for proxies and browsers, and the
display mode (standard / elderly-friendly) that is part of every key."""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from config.db_router import reads_from_replica
from disclosure.cache import PAGE_TIMEOUT, page_key, public_generation
from disclosure.selectors import latest_publication_time

MODE_COOKIE = "public_display"
MODES = ("standard", "large")
# The query parameters public pages read. A request carrying any other is answered but
# not stored, so junk parameters (?x=1, ?x=2 …) cannot fill the shared cache.
PAGE_PARAMETERS = frozenset({"q", "page", "region", "department", "category", "level", "a", "b", "display"})


def display_mode(request):
    """The mode asked for by ?display= (which also sets the cookie), else the cookie's."""
    asked = request.GET.get("display")
    if asked in MODES:
        return asked
    mode = request.COOKIES.get(MODE_COOKIE)
    return mode if mode in MODES else "standard"


def _variant(request):
    return f"{request.get_full_path()}|{display_mode(request)}|{translation.get_language()}"


def _etag(request, *args, **kwargs):
    raw = f"{public_generation()}|{_variant(request)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    key = page_key("last-modified")
    value = cache.get(key)
    if value is None:
        value = latest_publication_time() or 0
        cache.set(key, value, PAGE_TIMEOUT)
    return value or None


def public_page(view):
    """Cache a public GET view's page and answer conditional requests with 304."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        mode = display_mode(request)
        request.display_mode = mode
        key = page_key("html", hashlib.sha256(_variant(request).encode()).hexdigest())
        cacheable = set(request.GET) <= PAGE_PARAMETERS
        stored = cache.get(key) if cacheable else None
        if stored is not None:
            response = HttpResponse(stored["content"], content_type=stored["content_type"], status=stored["status"])
            response["X-Public-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if cacheable and response.status_code in (200, 404, 410):
                cache.set(key, {"content": response.content, "content_type": response["Content-Type"],
                                "status": response.status_code}, PAGE_TIMEOUT)
            response["X-Public-Cache"] = "miss"
        if request.GET.get("display") in MODES:
            response.set_cookie(MODE_COOKIE, mode, max_age=365 * 24 * 3600, samesite="Lax")
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        patch_cache_control(response, public=True, max_age=60)
        return response

    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(cached)

    # Public pages read from the replica when one is configured (config/db_router.py).
    return reads_from_replica(conditional)
