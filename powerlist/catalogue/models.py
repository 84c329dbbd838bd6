"""Categories, powers (the catalogue items), their legal bases and confirmed revisions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powerlist.catalogue.responsibility import ResponsibilityStage
from powerlist.org.models import Department, Division, Region
from powerlist.review.models import Reviewable, ReviewState
from powerlist.review.flows import REVIEW_WITH_FINAL

# What a sub-item inherits from its main item when it leaves the field blank (None for
# the time limits). Sub-items also inherit each list they leave empty: legal bases,
# responsibility items, accountability circumstances (powerlist.catalogue.effective).
INHERITED_FIELDS = (
    "responsible_leader",
    "staff_duties",
    "conditions",
    "statutory_limit_days",
    "promised_limit_days",
    "service_commitment",
    "work_discipline",
    "fee_basis",
)
INHERITED_LISTS = ("legal_bases", "responsibility_items", "accountability_circumstances")


class Category(models.Model):
    code = models.CharField(_("类别编码"), max_length=20, unique=True)
    name = models.CharField(_("类别名称"), max_length=50, unique=True)
    short_name = models.CharField(
        _("简称"), max_length=30, blank=True, help_text=_("不带“行政”前缀的名称,如“许可”。")
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("职权类别")
        verbose_name_plural = _("职权类别")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Power(Reviewable):
    """One administrative power of a department: the catalogue item (行政职权目录事项).

    The row is the stable identity other records point to (flowcharts, risk points,
    cases) and holds the working copy under review. Each confirmation freezes the
    content into a PowerRevision, which stays in force while a later revision of
    the working copy is reviewed.
    """

    class Disposition(models.TextChoices):
        RETAIN = "retain", _("保留")
        CANCEL = "cancel", _("取消")
        ADJUST = "adjust", _("调整")

    class ExerciseLevel(models.TextChoices):
        DIRECT = "direct", _("直接行使")
        DELEGATED = "delegated", _("委托下放")
        FORWARDED = "forwarded", _("审核转报")

    flow = REVIEW_WITH_FINAL

    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="powers"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="powers"
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("内部负责机构"),
        on_delete=models.PROTECT,
        related_name="powers",
    )
    code = models.CharField(_("事项编码"), max_length=50)
    name = models.CharField(_("事项名称"), max_length=200)
    category = models.ForeignKey(
        Category, verbose_name=_("职权类别"), on_delete=models.PROTECT, related_name="powers"
    )
    disposition = models.CharField(
        _("处理结果"), max_length=10, choices=Disposition.choices, default=Disposition.RETAIN
    )
    disposition_reason = models.TextField(_("处理理由"), blank=True)
    responsible_leader = models.CharField(_("主管领导"), max_length=100, blank=True)
    staff_duties = models.TextField(_("人员职责分工"), blank=True)
    conditions = models.TextField(_("办理条件"), blank=True)
    statutory_limit_days = models.PositiveIntegerField(_("法定时限(工作日)"), null=True, blank=True)
    promised_limit_days = models.PositiveIntegerField(_("承诺时限(工作日)"), null=True, blank=True)
    exercise_level = models.CharField(
        _("行使层级"), max_length=10, choices=ExerciseLevel.choices, default=ExerciseLevel.DIRECT
    )
    service_commitment = models.TextField(_("服务承诺"), blank=True)
    work_discipline = models.TextField(_("工作纪律"), blank=True)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    remarks = models.TextField(_("备注"), blank=True)
    # A sub-item (子项) points at its main item (主项); main items have none. Its code is
    # the main item's code plus a suffix ("-01"), so lists ordered by code show it
    # right under its main item.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属主项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_items",
    )
    # Adopted from the confirmed catalogue of the level above (一事项一名称).
    source = models.ForeignKey(
        "self",
        verbose_name=_("参照上级事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    in_force = models.ForeignKey(
        "PowerRevision",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "powerlist.User", verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("行政权力")
        verbose_name_plural = _("行政权力")
        ordering = ["department_id", "category__order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="power_unique_code_in_region"),
        ]
        indexes = [
            models.Index(fields=["department", "state"], name="power_dept_state_idx"),
            models.Index(fields=["region", "state"], name="power_region_state_idx"),
            models.Index(fields=["division", "state"], name="power_division_state_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("powerlist:power_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if (
            self.statutory_limit_days is not None
            and self.promised_limit_days is not None
            and self.promised_limit_days > self.statutory_limit_days
        ):
            errors["promised_limit_days"] = _("承诺时限不得超过法定时限。")
        if self.disposition in (self.Disposition.CANCEL, self.Disposition.ADJUST) and not (
            self.disposition_reason or ""
        ).strip():
            errors["disposition_reason"] = _("取消或调整的事项须填写处理理由。")
        if self.division_id and self.department_id and self.division.department_id != self.department_id:
            errors["division"] = _("内部负责机构必须属于实施部门。")
        if self.parent_id:
            errors.update(self._sub_item_errors())
        if errors:
            raise ValidationError(errors)

    def _sub_item_errors(self):
        parent, errors = self.parent, {}
        if parent.parent_id:
            errors["parent"] = _("子项只能属于主项,不能再属于另一个子项。")
        if self.pk and parent.pk == self.pk:
            errors["parent"] = _("事项不能是自己的子项。")
        if parent.department_id != self.department_id:
            errors["parent"] = _("子项必须与主项属于同一部门。")
        if self.category_id and parent.category_id != self.category_id:
            errors["category"] = _("子项的职权类别必须与主项相同(%(category)s)。") % {"category": parent.category}
        if self.code and not (self.code.startswith(f"{parent.code}-") and len(self.code) > len(parent.code) + 1):
            errors["code"] = _("子项编码须为主项编码加后缀,如“%(code)s-01”。") % {"code": parent.code}
        return errors

    @property
    def is_sub_item(self):
        return self.parent_id is not None

    def pending_time_limit_warning(self):
        """The promised-limit warning where someone can still act on it: a draft (the
        clerk fixes it) or an item under review (the reviewer decides on it). None once
        confirmed: the confirmation accepted the limits."""
        return None if self.state == ReviewState.CONFIRMED else self.time_limit_warning()

    def time_limit_warning(self):
        """The region's promised-limit rule, as a warning text or None."""
        percent = self.region.promised_limit_reduction_percent if self.region_id else 0
        if not percent or self.statutory_limit_days is None or self.promised_limit_days is None:
            return None
        ceiling = self.statutory_limit_days * (100 - percent) / 100
        if self.promised_limit_days > ceiling:
            return _("承诺时限应比法定时限至少压缩%(percent)s%%(不超过%(ceiling)s个工作日)。") % {
                "percent": percent,
                "ceiling": int(ceiling),
            }
        return None


class LegalBasis(models.Model):
    power = models.ForeignKey(
        Power, verbose_name=_("行政权力"), on_delete=models.CASCADE, related_name="legal_bases"
    )
    law_name = models.CharField(_("法律法规名称"), max_length=200)
    article = models.CharField(_("条款"), max_length=100, blank=True)
    text = models.TextField(_("条文内容"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("行使依据")
        verbose_name_plural = _("行使依据")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.law_name}{self.article}"


class ResponsibilityItem(models.Model):
    """One responsibility item (责任事项) of a power at one stage (立案、调查取证 … / 受理、审查 …),
    with its text and basis; tied to the flowchart steps of that stage, so a reviewer sees
    the stage, its steps, their posts and (riskpoints' panel) their risks together."""

    power = models.ForeignKey(
        Power, verbose_name=_("行政权力"), on_delete=models.CASCADE, related_name="responsibility_items",
        db_index=False,  # the (power, order) index below serves every look-up by power
    )
    stage = models.CharField(_("环节"), max_length=20, choices=ResponsibilityStage.choices)
    text = models.TextField(_("责任内容"), blank=True)
    basis = models.TextField(_("依据"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    steps = models.ManyToManyField(
        "powerlist.Step", verbose_name=_("对应流程环节"), blank=True, related_name="responsibility_items"
    )

    class Meta:
        verbose_name = _("责任事项")
        verbose_name_plural = _("责任事项")
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["power", "order"], name="responsibility_power_idx")]

    def __str__(self):
        return f"{self.get_stage_display()}责任"


class AccountabilityCircumstance(models.Model):
    """One accountability circumstance (追责情形) of a power, with its ground (追责依据)."""

    power = models.ForeignKey(
        Power, verbose_name=_("行政权力"), on_delete=models.CASCADE, related_name="accountability_circumstances",
        db_index=False,  # the (power, order) index below serves every look-up by power
    )
    text = models.TextField(_("追责情形"))
    ground = models.TextField(_("追责依据"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("追责情形")
        verbose_name_plural = _("追责情形")
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["power", "order"], name="circumstance_power_idx")]

    def __str__(self):
        return self.text[:40]


class PowerRevision(models.Model):
    """The frozen content of a power as confirmed; the newest is in force."""

    power = models.ForeignKey(
        Power, verbose_name=_("行政权力"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("修订号"))
    name = models.CharField(_("事项名称"), max_length=200)
    category = models.ForeignKey(Category, verbose_name=_("职权类别"), on_delete=models.PROTECT)
    disposition = models.CharField(_("处理结果"), max_length=10, choices=Power.Disposition.choices)
    data = models.JSONField(_("内容"))
    confirmed_at = models.DateTimeField(_("确认时间"))

    class Meta:
        verbose_name = _("行政权力确认版本")
        verbose_name_plural = _("行政权力确认版本")
        ordering = ["power", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["power", "number"], name="power_revision_unique")
        ]

    def __str__(self):
        return f"{self.power.code} v{self.number}"



class HeaderSynonym(models.Model):
    """A header name real lists use for one import field ("权力名称" → 事项名称).

    Rows without a region are the built-in table (seeded by a data migration) and apply
    everywhere; a region adds its own, which apply to its departments and the regions
    below. `field` is one of powerlist.catalogue.spreadsheets.columns.IMPORT_FIELDS.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="header_synonyms", help_text=_("留空表示所有地区通用。"),
    )
    field = models.CharField(_("对应字段"), max_length=40)
    name = models.CharField(_("表头名称"), max_length=100)
    # The header as the import compares it (spreadsheets.columns.header_key).
    key = models.CharField(_("比对键"), max_length=100, editable=False)

    class Meta:
        verbose_name = _("表头同义词")
        verbose_name_plural = _("表头同义词")
        ordering = ["field", "name"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=models.Q(region__isnull=True),
                                    name="header_synonym_unique_builtin"),
            models.UniqueConstraint(fields=["region", "key"], condition=models.Q(region__isnull=False),
                                    name="header_synonym_unique_in_region"),
        ]

    def __str__(self):
        return f"{self.name} → {self.field}"


class ExportLayout(models.Model):
    """The column layout a region's lists are published in (its 权责清单 format).

    `columns` is a list of {"field": one of spreadsheets.columns.EXPORT_FIELDS, "header":
    the text of the header cell}; the export writes one row per main item without
    sub-items and one per sub-item, merging the main item's cells over its sub-items when
    `merge_main_cells` is set. The import reads the same layout back.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.CASCADE, related_name="export_layouts"
    )
    name = models.CharField(_("格式名称"), max_length=100)
    title = models.CharField(
        _("标题行"), max_length=200, blank=True, help_text=_("如“{department}权责清单”;{department} 换成部门名称。")
    )
    columns = models.JSONField(_("列"), default=list)
    merge_main_cells = models.BooleanField(_("主项单元格跨子项合并"), default=True)
    is_default = models.BooleanField(_("本地区默认格式"), default=True)

    class Meta:
        verbose_name = _("导出格式")
        verbose_name_plural = _("导出格式")
        ordering = ["region", "-is_default", "name"]

    def __str__(self):
        return f"{self.region} · {self.name}"


def import_upload_path(instance, filename):
    return f"imports/{instance.department_id}/{filename}"


class ImportUpload(models.Model):
    """An uploaded workbook waiting in the preview: nothing is imported until the clerk
    confirms the column mapping; the import job then reads this file."""

    user = models.ForeignKey("powerlist.User", verbose_name=_("上传人"), on_delete=models.CASCADE,
                             related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.CASCADE,
                                   related_name="+")
    file = models.FileField(_("文件"), upload_to=import_upload_path)
    filename = models.CharField(_("文件名"), max_length=200)
    # Column index (as text) → import field, as corrected on the preview page.
    mapping = models.JSONField(_("列对应关系"), default=dict, blank=True)
    # The last dry run: {"mapping": …, "ok": bool, "columns": [[index, header], …]}, so the
    # preview page builds its form and starts the import without checking the file again.
    checked = models.JSONField(_("上次检查"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待导入文件")
        verbose_name_plural = _("待导入文件")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename
