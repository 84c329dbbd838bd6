from rest_framework import serializers

from powerlist.inputs import MAX_ID, MAX_INT
from powerlist.models import Post, Step
from riskpoints.models import (
    Countermeasure,
    DiscretionBenchmark,
    DiscretionRow,
    ExpertAssignment,
    RiskLevel,
    RiskPoint,
)
from riskpoints.services.riskpoints import CONTENT_FIELDS, MEASURE_FIELDS


class CountermeasureSerializer(serializers.ModelSerializer):
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = Countermeasure
        fields = ("id", "number", *MEASURE_FIELDS, "state", "in_force_since", "attachment_name", "has_attachment")
        read_only_fields = ("id", "state", "in_force_since", "attachment_name", "has_attachment")
        extra_kwargs = {"number": {"required": False}}
        validators = []  # the service numbers new measures and checks uniqueness

    def get_has_attachment(self, obj) -> bool:
        return bool(obj.attachment)


class RiskPointSerializer(serializers.ModelSerializer):
    power_code = serializers.CharField(source="power.code", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    countermeasures = CountermeasureSerializer(many=True, read_only=True)
    needs_regrading = serializers.BooleanField(read_only=True)
    # Empty until the grading rule has suggested a level: the schema says so.
    suggested_level = serializers.ChoiceField(choices=RiskLevel.choices, allow_blank=True, read_only=True)

    class Meta:
        model = RiskPoint
        fields = ("id", "power", "power_code", "department", "number", *CONTENT_FIELDS, "suggested_level",
                  "state", "version", "revision", "needs_regrading", "regrading_note", "last_return_comment",
                  "countermeasures")
        read_only_fields = fields


class RiskPointWriteSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, write_only=True, min_value=1, max_value=MAX_INT)
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.all(), required=False, allow_null=True)
    step = serializers.PrimaryKeyRelatedField(queryset=Step.objects.all(), required=False, allow_null=True)

    class Meta:
        model = RiskPoint
        fields = ("power", *CONTENT_FIELDS, "version")
        extra_kwargs = {"power": {"required": False}}


class ExpertAssignSerializer(serializers.Serializer):
    experts = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1)


class OpinionSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=ExpertAssignment.Verdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ExpertAssignmentSerializer(serializers.ModelSerializer):
    expert = serializers.CharField(source="expert.__str__", read_only=True)

    class Meta:
        model = ExpertAssignment
        fields = ("id", "riskpoint", "expert", "round_version", "assigned_at", "verdict", "comment", "answered_at")


class DiscretionRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = DiscretionRow
        fields = ("violation", "clause_breached", "penalty_basis", "grade", "circumstances", "range_min",
                  "range_max", "measure_text")


class DiscretionBenchmarkSerializer(serializers.ModelSerializer):
    rows = DiscretionRowSerializer(many=True, read_only=True)
    power_code = serializers.CharField(source="power.code", read_only=True)

    class Meta:
        model = DiscretionBenchmark
        fields = ("id", "power", "power_code", "title", "unit", "statutory_min", "statutory_max", "statutory_text",
                  "rows")
