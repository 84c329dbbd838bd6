"""REST API for risk points: same services, same predicates, same scopes as the pages.

A risk point the user may not read is 404 (as for powers: the API never confirms
that an item exists); one the user may read but not act on is 403 with the reason.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from powerlist.api import E409, ServiceErrorsMixin
from powerlist.models import User
from powerlist.org.permissions import can_view_item
from powerlist.review.api import ReviewActionSerializer
from powerlist.review.engine import flow_apply
from riskpoints import permissions as perms
from riskpoints import selectors as sel
from riskpoints import services as svc
from riskpoints.api import serializers as s
from riskpoints.api.filters import BenchmarkFilter, RiskPointFilter
from riskpoints.models import RiskPoint


class RiskPointViewSet(ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Risk points (廉政风险点) with their countermeasures; review actions; expert review."""

    serializer_class = s.RiskPointSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = RiskPointFilter

    def get_queryset(self):
        return sel.riskpoint_list(user=self.request.user).prefetch_related("countermeasures")

    def filter_queryset(self, queryset):
        # The filterset delegates to selectors.riskpoint_list, which builds its own queryset.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset).prefetch_related("countermeasures")

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise exceptions.NotFound(_("风险点不存在或您无权查看。")) from None

    def _read(self, riskpoint):
        return s.RiskPointSerializer(self.get_queryset().get(pk=riskpoint.pk)).data

    @extend_schema(request=s.RiskPointWriteSerializer, responses={201: s.RiskPointSerializer})
    def create(self, request):
        body = s.RiskPointWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("version", None)
        power = data.pop("power", None)
        if power is None:
            raise exceptions.ValidationError({"power": [_("请指定行政权力。")]})
        if not can_view_item(request.user, power):
            raise exceptions.NotFound(_("事项不存在或您无权查看。"))
        riskpoint = svc.riskpoint_create(user=request.user, power=power, data=data)
        return Response(self._read(riskpoint), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RiskPointWriteSerializer, responses={200: s.RiskPointSerializer, 409: E409})
    def partial_update(self, request, pk=None):
        riskpoint = self.get_object()
        body = s.RiskPointWriteSerializer(riskpoint, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("power", None)
        expected = data.pop("version", None)
        svc.riskpoint_update(user=request.user, riskpoint=riskpoint, data=data, expected_version=expected)
        return Response(self._read(riskpoint))

    @extend_schema(request=s.CountermeasureSerializer, responses={201: s.CountermeasureSerializer})
    @action(detail=True, methods=["post"])
    def countermeasures(self, request, pk=None):
        riskpoint = self.get_object()
        body = s.CountermeasureSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measure = svc.countermeasure_create(user=request.user, riskpoint=riskpoint, data=dict(body.validated_data))
        return Response(s.CountermeasureSerializer(measure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewActionSerializer, responses={200: s.RiskPointSerializer})
    @action(detail=True, methods=["post"], url_path=r"review/(?P<review_action>[a-z_]+)")
    def review(self, request, pk=None, review_action=None):
        """Take an action of the risk point's flow: submit, withdraw, approve, return, revise."""
        if review_action not in RiskPoint.flow.action_values:
            raise exceptions.NotFound()
        riskpoint = self.get_object()
        body = ReviewActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flow_apply(user=request.user, obj=riskpoint, action=review_action, comment=body.validated_data["comment"],
                   expected_version=body.validated_data.get("version"))
        return Response(self._read(riskpoint))

    @extend_schema(request=s.ExpertAssignSerializer, responses={201: s.ExpertAssignmentSerializer(many=True)})
    # One point's answers, not the list: no list filters, no pages (nor in the schema).
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def experts(self, request, pk=None):
        riskpoint = self.get_object()
        body = s.ExpertAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        experts = list(User.objects.filter(pk__in=body.validated_data["experts"]).select_related("department"))
        if len(experts) != len(set(body.validated_data["experts"])):
            raise exceptions.ValidationError({"experts": [_("有用户不存在。")]})
        created = svc.riskpoint_assign_experts(user=request.user, riskpoint=riskpoint, experts=experts)
        return Response(s.ExpertAssignmentSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OpinionSerializer, responses={200: s.ExpertAssignmentSerializer})
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        riskpoint = self.get_object()
        body = s.OpinionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = svc.riskpoint_record_opinion(user=request.user, riskpoint=riskpoint, **body.validated_data)
        return Response(s.ExpertAssignmentSerializer(assignment).data)

    @extend_schema(responses={200: s.ExpertAssignmentSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def opinions(self, request, pk=None):
        """Expert opinions: all for the department and office; an expert sees their own."""
        riskpoint = self.get_object()
        own_only = not can_view_item(request.user, riskpoint)
        qs = sel.riskpoint_assignments(riskpoint=riskpoint, user=request.user if own_only else None)
        return Response(s.ExpertAssignmentSerializer(qs, many=True).data)


class CoverageView(ServiceErrorsMixin, APIView):
    """Coverage numbers for the user's department (department roles) or region (office)."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        decision = perms.can_view_coverage(request.user)
        if not decision:
            raise PermissionDenied(decision.reason)
        scope = perms.coverage_scope(request.user)
        group_by = "region" if scope[0] == "region" and request.query_params.get("group") == "region" else "department"
        rows, total = sel.coverage_rows(scope=scope, group_by=group_by)

        def plain(row):
            group = row["group"]
            return {**{k: v for k, v in row.items() if k != "group"},
                    "group": None if group is None else {"id": group.pk, "name": group.name}}

        return Response({"scope": scope[0], "group_by": group_by, "rows": [plain(r) for r in rows],
                         "total": plain(total)})


class BenchmarkViewSet(ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = s.DiscretionBenchmarkSerializer
    filterset_class = BenchmarkFilter

    def get_queryset(self):
        return sel.benchmark_list(user=self.request.user).prefetch_related("rows")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset).prefetch_related("rows")


