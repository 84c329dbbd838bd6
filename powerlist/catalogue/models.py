"""Categories, powers (the catalogue items), their legal bases and confirmed revisions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powerlist.org.models import Department, Division, Region
from powerlist.review.models import Reviewable


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

    review_flow = "power"

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
    duty = models.TextField(_("行使职责"), blank=True)
    conditions = models.TextField(_("办理条件"), blank=True)
    statutory_limit_days = models.PositiveIntegerField(_("法定时限(工作日)"), null=True, blank=True)
    promised_limit_days = models.PositiveIntegerField(_("承诺时限(工作日)"), null=True, blank=True)
    exercise_level = models.CharField(
        _("行使层级"), max_length=10, choices=ExerciseLevel.choices, default=ExerciseLevel.DIRECT
    )
    service_commitment = models.TextField(_("服务承诺"), blank=True)
    work_discipline = models.TextField(_("工作纪律"), blank=True)
    accountability = models.TextField(_("责任追究"), blank=True)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    remarks = models.TextField(_("备注"), blank=True)
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
        if errors:
            raise ValidationError(errors)

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

