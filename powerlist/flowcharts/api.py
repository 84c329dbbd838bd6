"""REST API for flowcharts and posts: the chart as JSON (steps, transitions, the
validation problems and the time-limit check) and as SVG; posts with the powers each
touches. Reads use the same scopes as the pages (visible_q / can_view_item);
a draft changes through the editor pages or PUT content, which call the same service.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, renderers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from powerlist.api import PortalPermission, ServiceErrorsMixin
from powerlist.flowcharts.content import content_svg, flowchart_content, flowchart_problems, flowchart_time_check
from powerlist.flowcharts.forms import FlowchartFilter
from powerlist.flowcharts.models import Flowchart
from powerlist.flowcharts.selectors import flowchart_queryset
from powerlist.flowcharts.services import flowchart_save
from powerlist.inputs import MAX_ID, MAX_INT, MAX_LIMIT_DAYS
from powerlist.org.selectors import visible_q


class SVGRenderer(renderers.BaseRenderer):
    media_type = "image/svg+xml"
    format = "svg"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        # Errors (403/404) come as dicts; keep them readable.
        return str(data.get("detail", data) if isinstance(data, dict) else data).encode(self.charset)


class StepSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=gettext_lazy("环节编号(已保存环节为其 id;新增环节用 new- 开头的任意键)"))
    name = serializers.CharField(max_length=100)
    post_id = serializers.IntegerField(allow_null=True, required=False, min_value=1, max_value=MAX_ID)
    post = serializers.CharField(read_only=True)
    handling_rules = serializers.CharField(allow_blank=True, required=False, default="")
    duty_requirements = serializers.CharField(allow_blank=True, required=False, default="")
    time_limit_days = serializers.IntegerField(allow_null=True, required=False, min_value=0,
                                               max_value=MAX_LIMIT_DAYS)
    is_checkpoint = serializers.BooleanField(required=False, default=False)
    checkpoint_note = serializers.CharField(allow_blank=True, required=False, default="")
    counterpart_rights = serializers.CharField(allow_blank=True, required=False, default="")
    complaint_channels = serializers.CharField(allow_blank=True, required=False, default="")
    is_final = serializers.BooleanField(required=False, default=False)


class TransitionSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    label = serializers.CharField(max_length=50, allow_blank=True, required=False, default="")


class TimeCheckSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    route = serializers.ListField(child=serializers.CharField())
    limit = serializers.IntegerField(allow_null=True)
    limit_name = serializers.CharField()
    warning = serializers.CharField(allow_null=True)


class FlowchartSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")
    department = serializers.CharField(source="department.name")
    power_id = serializers.IntegerField(allow_null=True)
    in_force_revision = serializers.IntegerField(source="in_force.number", allow_null=True, default=None)

    class Meta:
        model = Flowchart
        fields = ("id", "kind", "title", "category", "department", "power_id", "state", "version", "revision",
                  "in_force_revision", "updated_at")


class FlowchartDetailSerializer(FlowchartSerializer):
    steps = StepSerializer(many=True, source="content.steps")
    transitions = TransitionSerializer(many=True, source="content.transitions")
    problems = serializers.ListField(child=serializers.CharField())
    time_check = TimeCheckSerializer()
    svg_url = serializers.SerializerMethodField()

    class Meta(FlowchartSerializer.Meta):
        fields = FlowchartSerializer.Meta.fields + ("steps", "transitions", "problems", "time_check", "svg_url")

    def get_svg_url(self, chart) -> str:
        request = self.context.get("request")
        url = f"/api/v1/flowcharts/{chart.pk}/svg/"
        return request.build_absolute_uri(url) if request else url


class FlowchartContentSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_INT,
                                       help_text=gettext_lazy("读取时的 version;过期返回 409"))
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    steps = StepSerializer(many=True)
    transitions = TransitionSerializer(many=True)


def _with_content(chart):
    chart.content = flowchart_content(chart)
    chart.problems = flowchart_problems(chart.content)
    chart.time_check = flowchart_time_check(chart.content, power=chart.power)
    return chart


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("流程图列表"),
                       description=gettext_lazy("当前用户可查看的流程图;可按 kind、state、category、department 筛选。")),
    retrieve=extend_schema(summary=gettext_lazy("流程图(JSON:环节、流转、校验问题、时限核对)"),
                           responses={200: FlowchartDetailSerializer}),
)
@extend_schema(tags=["flowcharts"])
class FlowchartViewSet(ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Flowcharts (行政权力运行流程图): list, read as JSON or SVG, replace a draft's content."""

    serializer_class = FlowchartSerializer
    permission_classes = [PortalPermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = FlowchartFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return flowchart_queryset().filter(visible_q(self.request.user))

    def filter_queryset(self, queryset):
        # The filterset delegates to selectors.flowchart_list, which builds its own queryset.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise exceptions.NotFound(_("流程图不存在或您无权查看。")) from None

    def retrieve(self, request, *args, **kwargs):
        chart = _with_content(self.get_object())
        return Response(FlowchartDetailSerializer(chart, context={"request": request}).data)

    @extend_schema(summary=gettext_lazy("流程图(SVG)"), description=gettext_lazy("Graphviz 绘制的 SVG,中文字体嵌入样式;"
                   "?version=in_force 取现行确认版本。"),
                   responses={(200, "image/svg+xml"): OpenApiTypes.STR, 404: OpenApiResponse(description="")})
    @action(detail=True, methods=["get"], renderer_classes=[SVGRenderer])
    def svg(self, request, pk=None):
        chart = self.get_object()
        if request.query_params.get("version") == "in_force" and chart.in_force_id:
            return Response(chart.in_force.data["svg"])
        return Response(content_svg(flowchart_content(chart)))

    @extend_schema(summary=gettext_lazy("替换流程图草稿的环节和流转"), request=FlowchartContentSerializer,
                   responses={200: FlowchartDetailSerializer})
    @action(detail=True, methods=["put"])
    def content(self, request, pk=None):
        chart = self.get_object()
        serializer = FlowchartContentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        content = {"title": data["title"], "steps": [dict(s) for s in data["steps"]],
                   "transitions": [dict(t) for t in data["transitions"]]}
        chart = flowchart_save(user=request.user, flowchart=chart, content=content,
                               expected_version=data["version"])
        chart = flowchart_queryset().get(pk=chart.pk)
        return Response(FlowchartDetailSerializer(_with_content(chart), context={"request": request}).data)


