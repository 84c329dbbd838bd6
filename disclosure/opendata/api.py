"""The open data API (/api/open/v1/): read-only, public (no login, no cookies read),
throttled per client address, documented in its own OpenAPI schema (/api/open/schema/).

Everything served comes from publications (disclosure.opendata.selectors): a draft, a
revision under review or a non-disclosed power is never in a PublishedPower row, so it
cannot be answered here. Items are addressed by the codes people already use: regions
by their six-digit code, categories by their code, powers by region code and item code
(and version); departments by their id, as on the portal.

Errors: 400 {field: [messages]} for a bad query parameter, 404 {"detail"} for an
unknown code or a page past the end, 429 {"detail"} with Retry-After when throttled.
"""

import math

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from config.db_router import replica_reads
from config.throttling import _SettingsRateMixin
from powerlist.flowcharts.api import SVGRenderer
from powerlist.inputs import MAX_ID, MAX_INT
from powerlist.models import Region

from disclosure.models import PublishedPower
from disclosure.opendata import selectors

REGION_CODE = r"^\d{6}$"
E404 = OpenApiResponse(description=gettext_lazy("没有该项(或页码超出范围)。"))


class OpenDataThrottle(_SettingsRateMixin, SimpleRateThrottle):
    """Every client of the open data, signed in or not, by address (API_THROTTLE_OPEN_DATA)."""

    scope = "open_data"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class OpenPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = gettext_lazy("页码无效或超出范围。")


class OpenDataView:
    """Public, read-only, throttled; reads go to the replica when one is configured."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [OpenDataThrottle]
    filter_backends = []
    pagination_class = OpenPagination
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        with replica_reads():
            return super().dispatch(request, *args, **kwargs)

    def throttled(self, request, wait):
        wait = math.ceil(wait) if wait else 60
        exc = exceptions.Throttled(detail=_(
            "请求过于频繁:开放数据接口对每个客户端限流(%(rate)s)。请在 %(wait)s 秒后再试;"
            "需要全部数据时请使用批量下载文件。") % {"rate": settings.API_THROTTLE_RATES["open_data"], "wait": wait})
        exc.wait = wait
        raise exc


def _api(name, *args):
    return reverse(f"opendata_api:{name}", args=args)


# ---------------------------------------------------------------- serializers


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ("code", "name", "level", "parent_code", "url")

    def get_parent_code(self, region) -> str | None:
        return region.parent.code if region.parent_id else None

    def get_url(self, region) -> str:
        return _api("region-detail", region.code)


class PublicationBriefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    power_count = serializers.IntegerField()


class DepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    region_code = serializers.CharField(source="region.code")
    region = serializers.CharField(source="region.name")
    current_publication = serializers.SerializerMethodField()
    powers_url = serializers.SerializerMethodField()

    @extend_schema_field(PublicationBriefSerializer(allow_null=True))
    def get_current_publication(self, department):
        current = department.current_publications
        return PublicationBriefSerializer(current[0]).data if current else None

    def get_powers_url(self, department) -> str:
        return _api("power-list") + f"?department={department.pk}"


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class PowerSerializer(serializers.Serializer):
    region_code = serializers.CharField(source="region.code")
    region = serializers.CharField(source="region.name")
    level = serializers.CharField()
    department_id = serializers.IntegerField(source="department.id")
    department = serializers.CharField(source="department.name")
    category_code = serializers.CharField(source="category.code")
    category = serializers.CharField(source="category.name")
    code = serializers.CharField()
    name = serializers.CharField()
    parent_code = serializers.CharField()
    status = serializers.ChoiceField(choices=PublishedPower.Status.choices)
    version = serializers.IntegerField()
    is_current = serializers.BooleanField(help_text=gettext_lazy("是否属于其部门的现行公开批次"))
    publication_number = serializers.IntegerField(source="publication.number")
    published_at = serializers.DateTimeField(source="publication.published_at")
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    def get_url(self, row) -> str:
        return _api("power-version", row.region.code, row.code, row.version)

    def get_page_url(self, row) -> str:
        return reverse("disclosure:power_version", args=[row.region.code, row.code, row.version])


class NextStepSerializer(serializers.Serializer):
    to = serializers.CharField()
    label = serializers.CharField()


class OutlineStepSerializer(serializers.Serializer):
    name = serializers.CharField()
    post = serializers.CharField()
    time_limit_days = serializers.IntegerField(allow_null=True)
    is_checkpoint = serializers.BooleanField()
    checkpoint_note = serializers.CharField()
    handling_rules = serializers.CharField()
    counterpart_rights = serializers.CharField()
    is_final = serializers.BooleanField()
    next = NextStepSerializer(many=True)


class FlowchartSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    revision = serializers.IntegerField()
    confirmed_at = serializers.CharField()
    outline = OutlineStepSerializer(many=True, help_text=gettext_lazy("流程图的文字大纲:按顺序的环节"))
    svg_url = serializers.CharField(allow_null=True)


class PowerDetailSerializer(PowerSerializer):
    content = serializers.SerializerMethodField(
        help_text=gettext_lazy("公开内容:目录全部字段、行使依据、责任事项、追责情形、岗位、防控措施、裁量基准、投诉渠道"))
    flowchart = serializers.SerializerMethodField()

    def get_content(self, row) -> dict:
        return {k: v for k, v in row.data.items() if k != "flowchart"}

    @extend_schema_field(FlowchartSerializer(allow_null=True))
    def get_flowchart(self, row):
        chart = row.data.get("flowchart")
        if not chart:
            return None
        return {
            **{k: chart.get(k) for k in ("title", "kind", "revision", "confirmed_at", "outline")},
            "svg_url": _api("power-version-svg", row.region.code, row.code, row.version) if chart.get("svg") else None,
        }


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=PublishedPower.Status.choices)
    publication_number = serializers.IntegerField(source="publication.number")
    published_at = serializers.DateTimeField(source="publication.published_at")
    url = serializers.SerializerMethodField()

    def get_url(self, row) -> str:
        return _api("power-version", row.region.code, row.code, row.version)


class PublicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region_code = serializers.CharField(source="region.code")
    department_id = serializers.IntegerField(source="department.id")
    department = serializers.CharField(source="department.name")
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    note = serializers.CharField()
    state = serializers.CharField()
    power_count = serializers.IntegerField()
    added_count = serializers.IntegerField()
    changed_count = serializers.IntegerField()
    cancelled_count = serializers.IntegerField()


# ---------------------------------------------------------------- query parameters


class RegionFilter(serializers.Serializer):
    region = serializers.RegexField(REGION_CODE, required=False, help_text=gettext_lazy("行政区划代码(6位)"),
                                    error_messages={"invalid": gettext_lazy("行政区划代码须为6位数字。")})


class PublicationFilter(RegionFilter):
    department = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                          help_text=gettext_lazy("部门 id"))


class PowerFilter(PublicationFilter):
    category = serializers.RegexField(r"^[A-Za-z0-9_-]{1,20}$", required=False,
                                      help_text=gettext_lazy("职权类别编码,如 XK"))
    level = serializers.ChoiceField(choices=Region.Level.choices, required=False)
    status = serializers.ChoiceField(choices=PublishedPower.Status.choices, required=False)


def _filters(serializer_class, request):
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return {k: v for k, v in params.validated_data.items() if v not in (None, "")}


# ---------------------------------------------------------------- views

TAGS = ["open-data"]


@extend_schema(summary=gettext_lazy("行政区划列表"), tags=TAGS,
               description=gettext_lazy("已有公开批次的行政区划,按代码排序。"))
class RegionList(OpenDataView, generics.ListAPIView):
    serializer_class = RegionSerializer

    def get_queryset(self):
        return selectors.open_regions()


@extend_schema(summary=gettext_lazy("行政区划"), tags=TAGS, responses={200: RegionSerializer, 404: E404})
class RegionDetail(OpenDataView, generics.RetrieveAPIView):
    serializer_class = RegionSerializer

    def get_object(self):
        return selectors.open_region(self.kwargs["code"])


@extend_schema(summary=gettext_lazy("部门列表"), tags=TAGS, parameters=[RegionFilter],
               description=gettext_lazy("已公开目录的部门及其现行公开批次;可按行政区划代码筛选。"))
class DepartmentList(OpenDataView, generics.ListAPIView):
    serializer_class = DepartmentSerializer

    def get_queryset(self):
        return selectors.open_departments(region_code=_filters(RegionFilter, self.request).get("region"))


@extend_schema(summary=gettext_lazy("部门"), tags=TAGS, responses={200: DepartmentSerializer, 404: E404})
class DepartmentDetail(OpenDataView, generics.RetrieveAPIView):
    serializer_class = DepartmentSerializer

    def get_object(self):
        if self.kwargs["pk"] > MAX_ID:
            raise exceptions.NotFound(_("该部门尚未公开目录。"))
        return selectors.open_department(self.kwargs["pk"])


@extend_schema(summary=gettext_lazy("职权类别列表"), tags=TAGS,
               description=gettext_lazy("现行公开事项用到的职权类别。"))
class CategoryList(OpenDataView, generics.ListAPIView):
    serializer_class = CategorySerializer

    def get_queryset(self):
        return selectors.open_categories()


@extend_schema(summary=gettext_lazy("公开事项列表"), tags=TAGS, parameters=[PowerFilter],
               description=gettext_lazy("各部门现行公开批次中的事项,按行政区划代码和事项编码排序。"))
class PowerList(OpenDataView, generics.ListAPIView):
    serializer_class = PowerSerializer

    def get_queryset(self):
        return selectors.open_powers(filters=_filters(PowerFilter, self.request))


@extend_schema(summary=gettext_lazy("公开事项(最新版本)"), tags=TAGS,
               responses={200: PowerDetailSerializer, 404: E404},
               description=gettext_lazy("事项最新公开的版本:全部公开字段与流程图(环节大纲、SVG 地址)。"))
class PowerDetail(OpenDataView, generics.RetrieveAPIView):
    serializer_class = PowerDetailSerializer

    def get_object(self):
        return selectors.open_power(self.kwargs["region_code"], self.kwargs["code"])


@extend_schema(summary=gettext_lazy("公开事项的历次版本"), tags=TAGS,
               responses={200: VersionSerializer(many=True), 404: E404})
class PowerVersions(OpenDataView, generics.ListAPIView):
    serializer_class = VersionSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.open_power_versions(self.kwargs["region_code"], self.kwargs["code"])


def _version(kwargs):
    if kwargs["version"] > MAX_INT:
        raise exceptions.NotFound(_("没有该公开事项或版本。"))
    return selectors.open_power(kwargs["region_code"], kwargs["code"], kwargs["version"])


@extend_schema(summary=gettext_lazy("公开事项的某一版本"), tags=TAGS,
               responses={200: PowerDetailSerializer, 404: E404},
               description=gettext_lazy("版本地址稳定:以后的公开不会改变它的内容。"))
class PowerVersion(OpenDataView, generics.RetrieveAPIView):
    serializer_class = PowerDetailSerializer

    def get_object(self):
        return _version(self.kwargs)


@extend_schema(summary=gettext_lazy("公开流程图(SVG)"), tags=TAGS,
               responses={(200, "image/svg+xml"): OpenApiTypes.STR, 404: E404},
               description=gettext_lazy("该版本公开时确认的流程图;无流程图时为 404。"))
class PowerVersionSvg(OpenDataView, APIView):
    renderer_classes = [SVGRenderer]

    def get(self, request, region_code, code, version):
        chart = _version(self.kwargs).data.get("flowchart") or {}
        if not chart.get("svg"):
            raise exceptions.NotFound(_("该版本没有公开的流程图。"))
        return Response(chart["svg"])


@extend_schema(summary=gettext_lazy("公开批次列表"), tags=TAGS, parameters=[PublicationFilter],
               description=gettext_lazy("全部公开批次(含已被替代的),新的在前。"))
class PublicationList(OpenDataView, generics.ListAPIView):
    serializer_class = PublicationSerializer

    def get_queryset(self):
        filters = _filters(PublicationFilter, self.request)
        return selectors.open_publications(region_code=filters.get("region"), department=filters.get("department"))
