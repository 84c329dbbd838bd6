"""The API's review parts shared by every reviewed kind (powers here, risk points in
riskpoints.api): the action and batch request bodies, batch results, open actions and
review-log entries."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from powerlist.review.models import ReviewAction
from powerlist.review.record_models import ReviewLogEntry

# One enum for every "action" field (log entries, open actions, batch requests), so the
# OpenAPI schema has a single ActionEnum; "create" is only ever a log entry.
# The URLs spell the actions with hyphens: /powers/{id}/confirm-establishment/.
ACTION_CHOICES = ReviewAction.choices


BATCH_MAX = 500


class AvailableActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTION_CHOICES)
    label = serializers.CharField()
    comment_required = serializers.BooleanField()


class ReviewActionSerializer(serializers.Serializer):
    comment = serializers.CharField(label=_("意见"), required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        label=_("版本"), required=False, allow_null=True, min_value=1,
        help_text=_("读取时得到的 version;事项已被他人处理时返回 409。"),
    )


class BatchSerializer(serializers.Serializer):
    ids = serializers.ListField(
        label=_("事项编号"), child=serializers.IntegerField(min_value=1), min_length=1, max_length=BATCH_MAX
    )
    action = serializers.ChoiceField(label=_("操作"), choices=ACTION_CHOICES)
    comment = serializers.CharField(label=_("意见"), required=False, allow_blank=True, default="")

    def validate_action(self, value):
        if value == ReviewAction.CREATE:
            raise serializers.ValidationError(_("“创建”不是审核操作。"))
        return value


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
