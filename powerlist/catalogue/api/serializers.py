"""Shapes of the API's requests and responses. Serializers validate input and render
output; every write goes through a service (powerlist.services)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from powerlist.catalogue.models import AccountabilityCircumstance, Category, Power, PowerRevision, ResponsibilityItem
from powerlist.flowcharts.models import Step
from powerlist.catalogue.services import CONTENT_FIELDS
from powerlist.org.models import Department, Division, Region
from powerlist.review.api import AvailableActionSerializer
from powerlist.review.permissions import available_actions


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "short_name", "description", "order"]


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level"]


class DepartmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name"]


class DivisionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["id", "name"]


class CategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name"]


class LegalBasisSerializer(serializers.Serializer):
    law_name = serializers.CharField(label=_("法律法规名称"), max_length=200)
    article = serializers.CharField(label=_("条款"), max_length=100, required=False, allow_blank=True, default="")
    text = serializers.CharField(label=_("条文内容"), required=False, allow_blank=True, default="")


class PowerLinkSerializer(serializers.ModelSerializer):
    """A main item or a sub-item named from another power: enough to link to it."""

    class Meta:
        model = Power
        fields = ["id", "code", "name", "state"]
        read_only_fields = fields


class StepBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["id", "name"]
        read_only_fields = fields


class ResponsibilityItemSerializer(serializers.ModelSerializer):
    """One responsibility item (责任事项): its stage, text and basis, and the flowchart
    steps it is tied to."""

    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    steps = StepBriefSerializer(many=True, read_only=True)

    class Meta:
        model = ResponsibilityItem
        fields = ["stage", "stage_label", "text", "basis", "steps"]
        read_only_fields = fields


class AccountabilityCircumstanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountabilityCircumstance
        fields = ["text", "ground"]
        read_only_fields = fields


class PowerSerializer(serializers.ModelSerializer):
    """A power as the user sees it, with the review actions open to them now; a sub-item
    names its main item (`parent`), a main item lists the sub-items the user may see."""

    region = RegionBriefSerializer(read_only=True)
    department = DepartmentBriefSerializer(read_only=True)
    division = DivisionBriefSerializer(read_only=True)
    category = CategoryBriefSerializer(read_only=True)
    legal_bases = LegalBasisSerializer(many=True, read_only=True)
    parent = PowerLinkSerializer(read_only=True, allow_null=True, help_text=_("子项所属的主项;主项为 null。"))
    sub_items = PowerLinkSerializer(many=True, read_only=True, help_text=_("主项的子项(当前用户可查看的),按编码。"))
    responsibility_items = ResponsibilityItemSerializer(many=True, read_only=True)
    accountability_circumstances = AccountabilityCircumstanceSerializer(many=True, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    disposition_label = serializers.CharField(source="get_disposition_display", read_only=True)
    in_force_revision = serializers.IntegerField(source="in_force.number", read_only=True, allow_null=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Power
        fields = [
            "id", *CONTENT_FIELDS, "region", "department", "legal_bases",
            "parent", "sub_items", "responsibility_items", "accountability_circumstances",
            "state", "state_label", "disposition_label", "version", "revision", "in_force_revision",
            "source", "submitted_at", "confirmed_at", "last_return_comment", "created_at", "updated_at",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(AvailableActionSerializer(many=True))
    def get_actions(self, power):
        request = self.context.get("request")
        if request is None:
            return []
        return [
            {"action": a.action, "label": a.label, "comment": a.comment, "comment_required": a.comment_required}
            for a in available_actions(request.user, power)
        ]


class PowerWriteSerializer(serializers.ModelSerializer):
    """What a clerk sends to create or edit a draft. `version` is the version the client
    last read; on PATCH it is required, so nobody overwrites a change they never saw."""

    category = serializers.PrimaryKeyRelatedField(
        label=_("职权类别"), queryset=Category.objects.filter(is_active=True)
    )
    division = serializers.PrimaryKeyRelatedField(label=_("内部负责机构"), queryset=Division.objects.none())
    legal_bases = LegalBasisSerializer(label=_("行使依据"), many=True, required=False)
    version = serializers.IntegerField(
        label=_("版本"), required=False, min_value=1, help_text=_("修改(PATCH)时必填:读取时得到的 version。")
    )

    class Meta:
        model = Power
        fields = [*CONTENT_FIELDS, "legal_bases", "version"]

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        if department is not None:
            self.fields["division"].queryset = Division.objects.filter(department=department)

    def validate(self, attrs):
        if self.partial and "version" not in attrs:
            raise serializers.ValidationError({"version": _("请提供读取时的版本号(version),以免覆盖他人的修改。")})
        return attrs


class PowerRevisionSerializer(serializers.ModelSerializer):
    category = CategoryBriefSerializer(read_only=True)

    class Meta:
        model = PowerRevision
        fields = ["id", "number", "name", "category", "disposition", "data", "confirmed_at"]
        read_only_fields = fields
