"""The API's flow parts shared by every kind of flow item (powers here, risk points in
riskpoints.api): the action and batch request bodies, batch results, open actions,
record entries, and the generic endpoints /api/v1/flow/<item>/<id>/ (state and open
actions) and /api/v1/flow/<item>/<id>/<action>/ that serve any flow."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from powerlist.api import E400, E403, E404, E409, ServiceErrorsMixin
from powerlist.inputs import MAX_ID
from powerlist.review.engine import flow_apply
from powerlist.review.permissions import available_actions
from powerlist.review.selectors import flow_item_readable, flow_model

from powerlist.review.flow import NONE, OPTIONAL, REQUIRED
from powerlist.review.flows import REVIEW_WITH_FINAL, REVIEW_WITHOUT_FINAL
from powerlist.review.models import ReviewAction
from powerlist.review.record_models import ReviewLogEntry

# One enum for every "action" field (log entries, open actions, batch requests), so the
# OpenAPI schema has a single ActionEnum; "create" is only ever a log entry.
# The URLs spell the actions with hyphens: /powers/{id}/confirm-establishment/.
ACTION_CHOICES = ReviewAction.choices
# What may be done to many items at once: the union, over roles, of the review flows'
# batchable actions (read from the flows, so "create" or "withdraw" is never offered).
_BATCHABLE = {t.action for flow in (REVIEW_WITH_FINAL, REVIEW_WITHOUT_FINAL) for t in flow.transitions if t.batch}
BATCH_ACTION_CHOICES = [(value, label) for value, label in ReviewAction.choices if value in _BATCHABLE]
COMMENT_CHOICES = [(c, c) for c in (NONE, OPTIONAL, REQUIRED)]


BATCH_MAX = 500


class AvailableActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTION_CHOICES)
    label = serializers.CharField()
    comment = serializers.ChoiceField(choices=COMMENT_CHOICES, help_text=_("意见:none 不需要,optional 可填,required 必填。"))
    comment_required = serializers.BooleanField()


class ReviewActionSerializer(serializers.Serializer):
    comment = serializers.CharField(label=_("意见"), required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        label=_("版本"), required=False, allow_null=True, min_value=1,
        help_text=_("读取时得到的 version;事项已被他人处理时返回 409。"),
    )


class BatchSerializer(serializers.Serializer):
    ids = serializers.ListField(
        label=_("事项编号"), child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1,
        max_length=BATCH_MAX
    )
    action = serializers.ChoiceField(label=_("操作"), choices=BATCH_ACTION_CHOICES)
    comment = serializers.CharField(label=_("意见"), required=False, allow_blank=True, default="")


class BatchRefusalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()


class BatchResultSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField())
    refused = BatchRefusalSerializer(many=True)


class ReviewLogEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = ReviewLogEntry
        fields = [
            "chain", "seq", "action", "action_label", "from_state", "to_state", "actor_name", "actor_role",
            "comment", "revision", "created_at", "prev_hash", "entry_hash",
        ]
        read_only_fields = fields


class FlowItemStateSerializer(serializers.Serializer):
    """Where an item stands in its flow and what the caller may do next."""

    item = serializers.CharField(help_text=_("模型标识,如 powerlist.power"))
    id = serializers.IntegerField()
    flow = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    version = serializers.IntegerField()
    actions = AvailableActionSerializer(many=True)


def _state(request, obj):
    flow = obj.flow
    return FlowItemStateSerializer({
        "item": obj._meta.label_lower, "id": obj.pk, "flow": flow.name, "state": obj.state,
        "state_label": str(flow.label_of_state(obj.state)), "version": obj.version,
        "actions": [
            {"action": a.action, "label": a.label, "comment": a.comment, "comment_required": a.comment_required}
            for a in available_actions(request.user, obj)
        ],
    }).data


class FlowItemView(ServiceErrorsMixin, APIView):
    """Any flow item's state and open actions, read from its flow: the same for
    powers, flowcharts, risk points and every flow the apps above add."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary=_("事项的流程状态"), responses={200: FlowItemStateSerializer, 404: E404},
                   tags=["review"])
    def get(self, request, label, pk):
        obj = flow_item_readable(flow_model(label), user=request.user, pk=pk)
        return Response(_state(request, obj))


class FlowActionView(ServiceErrorsMixin, APIView):
    """Take an action of the item's flow (POST {comment, version})."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary=_("执行流程操作"), request=ReviewActionSerializer,
                   responses={200: FlowItemStateSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
                   tags=["review"])
    def post(self, request, label, pk, action):
        model = flow_model(label)
        obj = flow_item_readable(model, user=request.user, pk=pk)
        if action not in model.flow.action_values:
            raise Http404
        body = ReviewActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        obj = flow_apply(user=request.user, obj=obj, action=action, comment=body.validated_data["comment"],
                         expected_version=body.validated_data.get("version"))
        return Response(_state(request, obj))
