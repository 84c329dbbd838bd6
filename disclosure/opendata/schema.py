"""Two OpenAPI schemas from one URL tree: the staff API's (/api/schema/, signed in) leaves
out the open data endpoints, and the open data's (/api/open/schema/, public) holds only
them (drf-spectacular preprocessing hooks, chosen per schema view)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.permissions import AllowAny

OPEN_PREFIX = "/api/open/"


def staff_endpoints(endpoints):
    return [e for e in endpoints if not e[0].startswith(OPEN_PREFIX)]


def open_endpoints(endpoints):
    return [e for e in endpoints if e[0].startswith(OPEN_PREFIX)]


OPEN_SCHEMA_SETTINGS = {
    "TITLE": "行政权力公开目录 开放数据 API",
    "DESCRIPTION": (
        "公开、只读、免登录的开放数据接口:行政区划、部门、职权类别、已公开的行政权力事项(现行版本与历次版本)"
        "及其流程图(环节大纲与 SVG)。只提供已公开批次中的内容。每个客户端按地址限流,超限返回 429 并带 "
        "Retry-After。全部数据请使用批量下载(/opendata/,含 SHA-256 校验)与 DCAT 目录(/opendata/catalog.jsonld)。\n\n"
        "Open data API of the power-list portal: read-only, public, throttled per client."
    ),
    "VERSION": "1.0.0",
    "PREPROCESSING_HOOKS": ["disclosure.opendata.schema.open_endpoints"],
}


class OpenSchemaView(SpectacularAPIView):
    """The open data's OpenAPI schema: public, like the data."""

    authentication_classes = []
    permission_classes = [AllowAny]
    custom_settings = OPEN_SCHEMA_SETTINGS


class OpenRedocView(SpectacularRedocView):
    authentication_classes = []
    permission_classes = [AllowAny]
    title = _("开放数据 API 文档")
