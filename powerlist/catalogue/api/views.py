"""REST API /api/v1/: powers, categories, review actions and queues.

Thin views: a serializer validates, one service or selector does the work, the same
predicates decide (PortalPermission). Errors the services raise become:
PermissionDenied → 403 {"detail": reason}; TransitionConflict → 409 {"detail": …};
ValidationError → 400 ({field: [messages]} or {"detail": message}).

A power the user may not read is 404 everywhere (detail, edit, log, actions), the
same as its absence from the list: the API never confirms that another region's
draft exists. A power the user may read but not act on is 403 with the reason.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from powerlist.api import E400, E403, E404, E409, Conflict, PortalPermission, ServiceErrorsMixin
from powerlist.catalogue.api.filters import PowerFilter, ReviewQueueFilter
from powerlist.catalogue.api.serializers import (
    CategorySerializer,
    PowerRevisionSerializer,
    PowerSerializer,
    PowerWriteSerializer,
)
from powerlist.catalogue.models import AccountabilityCircumstance, LegalBasis, Power, ResponsibilityItem
from powerlist.flowcharts.models import Step
from powerlist.catalogue.selectors import category_list, power_queryset
from powerlist.catalogue.services import power_create, power_update
from powerlist.org.selectors import visible_q
from powerlist.review.api import (
    BatchResultSerializer,
    BatchSerializer,
    ReviewActionSerializer,
    ReviewLogEntrySerializer,
)
from powerlist.review.engine import flow_apply, flow_batch
from powerlist.review.models import ReviewAction
from powerlist.review.record import operation_record_for


def _with_lists(qs, user):
    """What PowerSerializer shows, in a fixed number of queries whatever the page size:
    the main item joined, then one query each for legal bases, responsibility items, their
    steps, circumstances and the sub-items the user may see."""
    return qs.select_related("parent").prefetch_related(
        Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("order", "id")),
        Prefetch("responsibility_items", queryset=ResponsibilityItem.objects.order_by("order", "id").prefetch_related(
            Prefetch("steps", queryset=Step.objects.order_by("order", "id")))),
        Prefetch("accountability_circumstances", queryset=AccountabilityCircumstance.objects.order_by("order", "id")),
        Prefetch("sub_items", queryset=Power.objects.filter(visible_q(user)).order_by("code")),
    )


def _review_schema(review_action):
    label = ReviewAction(review_action).label
    return extend_schema(
        summary=label,
        description=format_lazy(gettext_lazy("对一个事项执行“{}”。权限与页面相同;返回处理后的事项。"), label),
        request=ReviewActionSerializer,
        responses={200: PowerSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
        tags=["review"],
    )


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("行政权力列表"),
        description=gettext_lazy("当前用户可查看的事项(与页面同一范围),可按类别、状态、处理结果、部门、处室和关键字筛选。"),
        responses={200: PowerSerializer(many=True), 400: E400, 403: E403},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("行政权力详情"), responses={200: PowerSerializer, 403: E403, 404: E404},
    ),
    create=extend_schema(
        summary=gettext_lazy("新增行政权力(草稿)"),
        description=gettext_lazy("本部门经办人新增草稿;实施部门为当前用户所在部门。"),
        request=PowerWriteSerializer,
        responses={201: PowerSerializer, 400: E400, 403: E403},
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("修改行政权力草稿"),
        description=gettext_lazy("本部门(处室)经办人修改草稿;须提交读取时的 version,过期返回 409。"
                      "给出 legal_bases 时整体替换行使依据。"),
        request=PowerWriteSerializer,
        responses={200: PowerSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    ),
)
@extend_schema(tags=["powers"])
class PowerViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Powers (行政权力): list, read, create and edit drafts, take review actions."""

    serializer_class = PowerSerializer
    permission_classes = [PortalPermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PowerFilter
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = power_queryset().filter(visible_q(self.request.user))
        # The log and the revisions do not show the power's own lists.
        return qs if self.action in ("log", "revisions") else _with_lists(qs, self.request.user)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise exceptions.NotFound(_("事项不存在或您无权查看。")) from None

    def filter_queryset(self, queryset):
        # The filterset delegates to selectors.power_list, which builds its own queryset.
        if self.action != "list":
            return queryset
        return _with_lists(super().filter_queryset(queryset), self.request.user)

    def _read(self, power):
        fresh = self.get_queryset().get(pk=power.pk)
        return PowerSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request):
        department = request.user.department
        serializer = PowerWriteSerializer(data=request.data, department=department)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        legal_bases = data.pop("legal_bases", [])
        power = power_create(user=request.user, department=department, data=data, legal_bases=legal_bases)
        return Response(self._read(power), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        power = self.get_object()
        serializer = PowerWriteSerializer(power, data=request.data, partial=True, department=power.department)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = data.pop("version")
        legal_bases = data.pop("legal_bases", None)
        # power_update reports a stale version as a plain ValidationError; the API
        # answers it as the conflict it is.
        if power.version != expected_version:
            raise Conflict(_("该事项已被他人修改,请刷新页面后再编辑。"))
        power = power_update(
            user=request.user, power=power, data=data, legal_bases=legal_bases, expected_version=expected_version
        )
        return Response(self._read(power))

    def _review(self, request, review_action):
        power = self.get_object()
        body = ReviewActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        power = flow_apply(user=request.user, obj=power, action=review_action,
                           comment=body.validated_data["comment"], expected_version=body.validated_data.get("version"))
        return Response(self._read(power))

    @_review_schema(ReviewAction.SUBMIT)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._review(request, ReviewAction.SUBMIT)

    @_review_schema(ReviewAction.WITHDRAW)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._review(request, ReviewAction.WITHDRAW)

    @_review_schema(ReviewAction.APPROVE)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._review(request, ReviewAction.APPROVE)

    @_review_schema(ReviewAction.RETURN)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._review(request, ReviewAction.RETURN)

    @_review_schema(ReviewAction.CONFIRM_ESTABLISHMENT)
    @action(detail=True, methods=["post"], url_path="confirm-establishment", url_name="confirm-establishment")
    def confirm_establishment(self, request, pk=None):
        return self._review(request, ReviewAction.CONFIRM_ESTABLISHMENT)

    @_review_schema(ReviewAction.CONFIRM_LEGAL)
    @action(detail=True, methods=["post"], url_path="confirm-legal", url_name="confirm-legal")
    def confirm_legal(self, request, pk=None):
        return self._review(request, ReviewAction.CONFIRM_LEGAL)

    @_review_schema(ReviewAction.REVISE)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        return self._review(request, ReviewAction.REVISE)

    @extend_schema(
        summary=gettext_lazy("批量审核"),
        description=gettext_lazy("对多个事项执行同一操作;每项单独处理,不能处理的逐项说明原因,不影响其他事项。"
                      "看不到的或不存在的编号也列在 refused 中。"),
        request=BatchSerializer,
        responses={200: BatchResultSerializer, 400: E400, 403: E403},
        tags=["review"],
    )
    @action(detail=False, methods=["post"])
    def batch(self, request):
        body = BatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(body.validated_data["ids"]))
        objs = power_queryset().filter(visible_q(request.user), pk__in=ids).order_by("pk")
        result = flow_batch(
            user=request.user, objs=objs, action=body.validated_data["action"],
            comment=body.validated_data["comment"],
        )
        found = {obj.pk for obj in result.done} | {obj.pk for obj, _reason in result.refused if obj is not None}
        refused = [{"id": obj.pk, "reason": reason} for obj, reason in result.refused if obj is not None]
        refused += [{"id": pk, "reason": _("事项不存在或您无权查看。")} for pk in ids if pk not in found]
        return Response({"done": [obj.pk for obj in result.done], "refused": refused})

    @extend_schema(
        summary=gettext_lazy("审核日志"), description=gettext_lazy("该事项的审核日志(哈希链),按时间顺序。"),
        responses={200: ReviewLogEntrySerializer(many=True), 403: E403, 404: E404},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def log(self, request, pk=None):
        power = self.get_object()
        return Response(ReviewLogEntrySerializer(operation_record_for(power), many=True).data)

    @extend_schema(
        summary=gettext_lazy("已确认版本"), description=gettext_lazy("该事项各次确认时冻结的内容,最新在前。"),
        responses={200: PowerRevisionSerializer(many=True), 403: E403, 404: E404},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def revisions(self, request, pk=None):
        power = self.get_object()
        revisions = power.revisions.select_related("category").order_by("-number")
        return Response(PowerRevisionSerializer(revisions, many=True).data)


@extend_schema(summary=gettext_lazy("职权类别"), description=gettext_lazy("全部启用的职权类别,按排序。"),
               responses={200: CategorySerializer(many=True), 403: E403}, tags=["categories"])
class CategoryListView(ListAPIView):
    """Active categories (职权类别); few enough to need no pages."""

    serializer_class = CategorySerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return category_list()


@extend_schema(
    summary=gettext_lazy("我的待办"),
    description=gettext_lazy("以指定角色查看等待当前用户处理的事项(与工作台同一队列)。没有该角色时返回 403。"),
    responses={200: PowerSerializer(many=True), 400: E400, 403: E403},
    tags=["review"],
)
class ReviewQueueView(ListAPIView):
    serializer_class = PowerSerializer
    permission_classes = [PortalPermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReviewQueueFilter

    def required_role(self, request):
        filterset = ReviewQueueFilter(request.query_params, queryset=Power.objects.none(), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.form.cleaned_data["role"]

    def get_queryset(self):
        return Power.objects.none()

    def filter_queryset(self, queryset):
        # The filterset delegates to selectors.power_review_queue.
        return _with_lists(super().filter_queryset(queryset), self.request.user)


