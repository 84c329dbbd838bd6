from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from disclosure import views as disclosure_views
from disclosure.opendata.schema import OpenRedocView, OpenSchemaView

urlpatterns = [
    path("", disclosure_views.home, name="home"),
    path("", include("disclosure.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Redoc styles itself with inline style elements and searches in a blob: worker; its
    # page (templates/drf_spectacular/redoc.html) has no inline script.
    path(
        "api/docs/",
        csp_replace({
            "style-src": [SELF, UNSAFE_INLINE],
            "img-src": [SELF, "data:", "blob:"],
            "worker-src": [SELF, "blob:"],
            "script-src": [SELF, "blob:"],
        })(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # The split view serves Swagger UI's start-up script as a file: no inline script.
    path("api/swagger/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-swagger"),
    # The open data (docs/open-data.md): public API, its own public schema, bulk files, DCAT.
    path("api/open/v1/", include("disclosure.opendata.api_urls")),
    path("api/open/schema/", OpenSchemaView.as_view(), name="open-api-schema"),
    path(
        "api/open/docs/",
        csp_replace({
            "style-src": [SELF, UNSAFE_INLINE],
            "img-src": [SELF, "data:", "blob:"],
            "worker-src": [SELF, "blob:"],
            "script-src": [SELF, "blob:"],
        })(OpenRedocView.as_view(url_name="open-api-schema")),
        name="open-api-docs",
    ),
    path("opendata/", include("disclosure.opendata.urls")),
    path("riskpoints/", include("riskpoints.urls")),
    path("inbox/", include("powerlist.notifications.urls")),
    path("supervision/", include("supervision.urls")),
    # Complaints from the public (no account) and the offline captcha's images.
    path("complaints/", include("supervision.complaints.public_urls")),
    path("captcha/", include("captcha.urls")),
    path("", include("powerlist.urls")),
]

# Under /api/ these answer JSON (config/api_errors.py); elsewhere Django's pages.
handler400 = "config.api_errors.bad_request"
handler403 = "config.api_errors.permission_denied"
handler404 = "config.api_errors.page_not_found"
handler500 = "config.api_errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
