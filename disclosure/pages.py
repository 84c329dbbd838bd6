"""The public pages' caching: rendered pages kept in the Django cache under the public
generation (disclosure.cache), ETag and Last-Modified for proxies and browsers, and the
display mode (standard / elderly-friendly) that is part of every key."""

import hashlib
from functools import lru_cache, wraps
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import condition

from config.db_router import reads_from_replica
from disclosure.cache import MISSING, PAGE_TIMEOUT, page_key, page_read, page_value
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


def _lookup(request):
    """The generation, this page's stored copy and the Last-Modified value, read once per
    request in one round trip (the ETag, Last-Modified and the page itself all need them)."""
    memo = getattr(request, "_public_page", None)
    if memo is None:
        html_key = page_key("html", hashlib.sha256(_variant(request).encode()).hexdigest())
        modified_key = page_key("last-modified")
        generation, (html, modified) = page_read(html_key, modified_key)
        memo = request._public_page = SimpleNamespace(
            generation=generation, html_key=html_key, html=html, modified_key=modified_key, modified=modified)
    return memo


def _etag(request, *args, **kwargs):
    raw = f"{_lookup(request).generation}|{_variant(request)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    memo = _lookup(request)
    if memo.modified is MISSING:
        memo.modified = latest_publication_time() or 0
        cache.set(memo.modified_key, page_value(memo.generation, memo.modified), PAGE_TIMEOUT)
    return memo.modified or None


def _set_mode_cookie(request, response):
    """?display= also sets the display cookie, on a hit as on a miss."""
    if request.GET.get("display") in MODES:
        response.set_cookie(MODE_COOKIE, request.GET["display"], max_age=365 * 24 * 3600, samesite="Lax")


def _stored_validators(request):
    """The ETag (quoted) and Last-Modified (a timestamp, or None) of this page as the
    `condition` decorator computes them: stored with the page, so a hit needs neither."""
    modified = _last_modified(request)
    return quote_etag(_etag(request)), (int(modified.timestamp()) if modified else None)


def _answer_stored(request, stored):
    """The response to a request whose page is stored under the current generation: 304
    when its ETag or Last-Modified matches, else the stored page, with the headers the
    view's wrappers and the skipped middlewares give it (X-Frame-Options, Content-Length)."""
    etag, modified = stored["etag"], stored["modified"]
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = HttpResponse(stored["content"], content_type=stored["content_type"], status=stored["status"])
        response.headers["X-Public-Cache"] = "hit"
        _set_mode_cookie(request, response)
        # What patch_vary_headers and patch_cache_control give a response without either.
        response.headers["Vary"] = "Cookie, Accept-Language"
        response.headers["Cache-Control"] = "public, max-age=60"
    if modified:
        response.headers["Last-Modified"] = stored["last_modified"]
    response.headers["ETag"] = etag
    response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    response.headers["Content-Length"] = str(len(response.content))
    return response


def public_page(view):
    """Cache a public GET view's page and answer conditional requests with 304."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        mode = display_mode(request)
        request.display_mode = mode
        memo = _lookup(request)
        # Hits are answered by PublicCacheMiddleware (_answer_stored); this renders. A value
        # stored by an older release (without validators) is rendered again and replaced.
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if set(request.GET) <= PAGE_PARAMETERS and response.status_code in (200, 404, 410):
            etag, modified = _stored_validators(request)
            cache.set(memo.html_key, page_value(memo.generation, {
                "content": response.content, "content_type": response["Content-Type"],
                "status": response.status_code, "etag": etag, "modified": modified,
                "last_modified": http_date(modified) if modified else None}), PAGE_TIMEOUT)
        response["X-Public-Cache"] = "miss"
        _set_mode_cookie(request, response)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        patch_cache_control(response, public=True, max_age=60)
        return response

    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(cached)

    # Public pages read from the replica when one is configured (config/db_router.py).
    page = reads_from_replica(conditional)
    page.public_page = True  # PublicCacheMiddleware answers this view's cache hits early
    return page


class PublicCacheMiddleware:
    """Answer a public page's cache hit before the staff middlewares run.

    Placed right after LocaleMiddleware and RefuseNulMiddleware (the language is chosen and
    a NUL refused as for every request): a GET or HEAD whose path resolves to a
    `public_page` view (`_is_public_path`, kept per path), with only the parameters public
    pages read, looks its page up (one round trip, `_lookup`, kept on the request); when
    the current generation holds it, `_answer_stored` answers it (the stored page, or 304
    for a matching ETag or Last-Modified, both stored with the page) without
    CommonMiddleware, CSRF, authentication, messages, the password check, htmx or axes,
    which a public page does not use (its template reads no user, no session and no CSRF
    token), and without the view's wrappers. What those would have added to such a
    response is added there: X-Frame-Options and Content-Length. A miss goes down the whole
    chain as before, with the lookup already made. Security, CSP and WhiteNoise sit before
    it and still run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method in ("GET", "HEAD") and _is_public_path(request.path_info)
                and set(request.GET) <= PAGE_PARAMETERS):
            stored = _lookup(request).html
            if stored is not MISSING and "etag" in stored:
                return _answer_stored(request, stored)
        return self.get_response(request)


@lru_cache(maxsize=4096)
def _is_public_path(path_info):
    """Whether a path resolves to a `public_page` view (kept per path: resolving walks the
    URL patterns, a tenth of a hit's cost; bounded, so junk paths cannot grow it)."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return False
    return getattr(match.func, "public_page", False)


@receiver(setting_changed)
def _urlconf_changed(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _is_public_path.cache_clear()
