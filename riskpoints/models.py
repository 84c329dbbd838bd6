"""Integrity risk points (廉政风险点), their countermeasures (防范措施), the office's
grading rule, expert review and discretion benchmarks (自由裁量基准)."""


from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from powerlist.models import Reviewable
from powerlist.review.flows import REVIEW_WITHOUT_FINAL


class Stage(models.TextChoices):
    DECISION = "decision", _("决策")
    EXECUTION = "execution", _("执行")
    SUPERVISION = "supervision", _("监督")
    ASSESSMENT = "assessment", _("考核")


class RiskSource(models.TextChoices):
    POST_DUTIES = "post_duties", _("岗位职责")
    BUSINESS_PROCESS = "business_process", _("业务流程")
    RULES = "rules", _("制度机制")
    EXTERNAL = "external", _("外部环境")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


# Highest first: used to pick the colour of a flowchart step that carries several points.
LEVEL_RANK = {RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1}
# Step fill colours on the flowchart: dark text stays readable on all three, and none is
# the pale cream the renderer uses for supervision checkpoints.
LEVEL_COLOURS = {RiskLevel.HIGH: "#f28b82", RiskLevel.MEDIUM: "#ffb366", RiskLevel.LOW: "#f5e050"}


class RiskGradingRule(models.Model):
    """How the office of a region grades risk points: a score of likelihood × impact
    against two thresholds, and/or categories of power that are always high."""

    class Mode(models.TextChoices):
        SCORE = "score", _("按发生可能性×影响程度评分")
        CATEGORY = "category", _("按权力类型")
        BOTH = "both", _("两者取高")

    region = models.OneToOneField(
        "powerlist.Region", verbose_name=_("行政区划"), on_delete=models.CASCADE, related_name="risk_grading_rule"
    )
    mode = models.CharField(_("评级方式"), max_length=10, choices=Mode.choices, default=Mode.BOTH)
    high_threshold = models.PositiveSmallIntegerField(
        _("高等级分值下限"), default=15, validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    medium_threshold = models.PositiveSmallIntegerField(
        _("中等级分值下限"), default=8, validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    high_category_codes = models.CharField(
        _("一律定为高等级的职权类别编码"),
        max_length=200,
        blank=True,
        default="ZD,ZS,CF",
        help_text=_("以逗号分隔,如 ZD(内部重大事项决定)、ZS(行政征收)。"),
    )
    high_keywords = models.CharField(
        _("一律定为高等级的关键词"),
        max_length=200,
        blank=True,
        default="资金,采购,项目,招标",
        help_text=_("事项名称含这些词(资金、采购、项目……)时定为高等级;以逗号分隔。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("风险等级评定规则")
        verbose_name_plural = _("风险等级评定规则")

    def __str__(self):
        return f"{self.region} · {self.get_mode_display()}"

    def category_codes(self):
        return [c.strip().upper() for c in self.high_category_codes.replace(",", ",").split(",") if c.strip()]

    def keywords(self):
        return [k.strip() for k in self.high_keywords.replace(",", ",").split(",") if k.strip()]


class RiskPoint(Reviewable):
    """One integrity risk point of a power (one row of the 廉政风险点登记表).

    Travels the review chain without final confirmation: draft → department review →
    office review (with experts) → confirmed. Its countermeasures are reviewed with it
    and edited only while it is a draft.
    """

    flow = REVIEW_WITHOUT_FINAL

    power = models.ForeignKey(
        "powerlist.Power", verbose_name=_("行政权力"), on_delete=models.CASCADE, related_name="risk_points"
    )
    # Denormalised from the power so the shared scope queries (visible_q, review_queue_q)
    # and permission predicates work unchanged.
    region = models.ForeignKey(
        "powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="risk_points"
    )
    division = models.ForeignKey(
        "powerlist.Division", verbose_name=_("处(科、室)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    number = models.PositiveIntegerField(_("风险点序号"), help_text=_("在本事项内的序号,导入导出以事项编码+序号识别。"))
    stage = models.CharField(_("权力运行环节"), max_length=20, choices=Stage.choices)
    post = models.ForeignKey(
        "powerlist.Post", verbose_name=_("岗位"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="risk_points",
    )
    post_name = models.CharField(_("岗位名称"), max_length=100, blank=True,
                                 help_text=_("未建立岗位说明书时直接填写岗位名称。"))
    step = models.ForeignKey(
        "powerlist.Step", verbose_name=_("流程环节"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="risk_points",
    )
    source = models.CharField(_("风险来源"), max_length=20, choices=RiskSource.choices)
    description = models.TextField(_("风险内容"), help_text=_("可能发生的廉政风险。"))
    manifestation = models.TextField(_("表现形式"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("发生可能性(1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("影响程度(1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    suggested_level = models.CharField(_("建议等级"), max_length=10, choices=RiskLevel.choices, blank=True)
    level_reason = models.TextField(_("定级理由"), blank=True)
    monitoring_indicator = models.CharField(_("监测指标"), max_length=300, blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=50)
    responsible_leader = models.CharField(_("责任领导"), max_length=50)
    next_review_date = models.DateField(_("下次评估日期"), null=True, blank=True)
    # Re-grading: set explicitly by riskpoints_flag_for_regrading, and detected cheaply
    # by comparing the power's and flowchart's revision with those seen at confirmation.
    regrading_required = models.BooleanField(_("需重新评级"), default=False)
    regrading_note = models.CharField(_("重新评级原因"), max_length=200, blank=True)
    confirmed_power_revision = models.PositiveIntegerField(_("确认时事项修订号"), null=True, blank=True)
    confirmed_flowchart_revision = models.PositiveIntegerField(_("确认时流程图修订号"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("廉政风险点")
        verbose_name_plural = _("廉政风险点")
        ordering = ["power_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["power", "number"], name="riskpoint_unique_number"),
        ]
        indexes = [
            models.Index(fields=["department", "state"], name="riskpoint_dept_state_idx"),
            models.Index(fields=["region", "state"], name="riskpoint_region_state_idx"),
        ]
        permissions = [("review_riskpoint", _("作为专家评审廉政风险点"))]

    def __str__(self):
        return f"{self.power.code}-{self.number} {self.description[:40]}"

    def get_absolute_url(self):
        return reverse("riskpoints:detail", args=[self.pk])

    @property
    def post_label(self):
        return self.post.name if self.post_id else self.post_name


class RiskPointUserObjectPermission(UserObjectPermissionBase):
    """django-guardian grant with a direct FK: the experts assigned to a risk point."""

    content_object = models.ForeignKey(RiskPoint, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


def attachment_path(instance, filename):
    return f"riskpoints/measures/{instance.riskpoint_id}/{filename}"


class Countermeasure(models.Model):
    class Kind(models.TextChoices):
        NEW_RULE = "new_rule", _("建立制度(制度缺失)")
        REVISED_RULE = "revised_rule", _("修订制度(风险变化)")
        SPLIT_POWER = "split_power", _("分解和配置权力")
        DISCRETION = "discretion", _("自由裁量权细化量化")
        IT_MONITORING = "it_monitoring", _("信息化监控")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        PLANNED = "planned", _("计划中")
        IN_FORCE = "in_force", _("已实施")

    riskpoint = models.ForeignKey(
        RiskPoint, verbose_name=_("廉政风险点"), on_delete=models.CASCADE, related_name="countermeasures"
    )
    number = models.PositiveIntegerField(_("措施序号"))
    kind = models.CharField(_("措施类型"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("措施内容"))
    responsible_unit = models.CharField(_("责任单位"), max_length=100)
    responsible_person = models.CharField(_("责任人"), max_length=50)
    deadline = models.DateField(_("完成时限"))
    state = models.CharField(_("实施状态"), max_length=10, choices=State.choices, default=State.PLANNED)
    in_force_since = models.DateField(_("实施日期"), null=True, blank=True)
    attachment = models.FileField(_("附件(制度文件)"), upload_to=attachment_path, blank=True, max_length=300)
    attachment_name = models.CharField(_("附件原名"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("廉政风险防范措施")
        verbose_name_plural = _("廉政风险防范措施")
        ordering = ["riskpoint_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["riskpoint", "number"], name="countermeasure_unique_number"),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="countermeasure_overdue_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}:{self.text[:40]}"


class ExpertAssignment(models.Model):
    """An expert (or member-unit leader) asked by the office for an opinion on a risk
    point in one office-review round; the opinion is recorded on the same row."""

    class Verdict(models.TextChoices):
        AGREE = "agree", _("同意")
        AGREE_WITH_CHANGES = "agree_with_changes", _("修改后同意")
        DISAGREE = "disagree", _("不同意")

    riskpoint = models.ForeignKey(
        RiskPoint, verbose_name=_("廉政风险点"), on_delete=models.CASCADE, related_name="expert_assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="expert_assignments"
    )
    # The risk point's review version when assigned: a later office round asks again.
    round_version = models.PositiveIntegerField(_("评审轮次(版本)"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("分配人"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("分配时间"))
    verdict = models.CharField(_("评审意见"), max_length=20, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("意见说明"), blank=True)
    answered_at = models.DateTimeField(_("提出意见时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评审")
        verbose_name_plural = _("专家评审")
        ordering = ["riskpoint_id", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["riskpoint", "expert", "round_version"], name="expert_assignment_unique"),
        ]
        indexes = [models.Index(fields=["expert", "answered_at"], name="expert_assignment_open_idx")]

    def __str__(self):
        return f"{self.expert} · {self.riskpoint_id}"

    @property
    def is_open(self):
        return not self.verdict


class DiscretionBenchmark(models.Model):
    """自由裁量基准 of a penalty or approval power: grades with the range of the
    measure for each, inside the statutory range."""

    class Unit(models.TextChoices):
        YUAN = "yuan", _("元(罚款金额)")
        INCOME_MULTIPLE = "income_multiple", _("倍(违法所得的倍数)")
        DAYS = "days", _("日(责令停产停业、拘留等期限)")

    power = models.ForeignKey(
        "powerlist.Power", verbose_name=_("行政权力"), on_delete=models.CASCADE, related_name="discretion_benchmarks"
    )
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="discretion_benchmarks")
    title = models.CharField(_("基准名称"), max_length=200)
    unit = models.CharField(_("计量单位"), max_length=20, choices=Unit.choices, default=Unit.YUAN)
    statutory_min = models.DecimalField(_("法定处罚幅度下限"), max_digits=14, decimal_places=2)
    statutory_max = models.DecimalField(_("法定处罚幅度上限"), max_digits=14, decimal_places=2)
    statutory_text = models.TextField(_("法定处罚幅度"), help_text=_("法律条文规定的处罚种类和幅度原文。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("自由裁量基准")
        verbose_name_plural = _("自由裁量基准")
        ordering = ["power_id", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("riskpoints:benchmark_detail", args=[self.pk])


class DiscretionGrade(models.TextChoices):
    MINOR = "minor", _("较轻")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")
    VERY_SERIOUS = "very_serious", _("特别严重")


GRADE_ORDER = [DiscretionGrade.MINOR, DiscretionGrade.GENERAL, DiscretionGrade.SERIOUS, DiscretionGrade.VERY_SERIOUS]


class DiscretionRow(models.Model):
    benchmark = models.ForeignKey(DiscretionBenchmark, verbose_name=_("自由裁量基准"), on_delete=models.CASCADE,
                                  related_name="rows")
    order = models.PositiveIntegerField(_("排序"), default=0)
    violation = models.CharField(_("违法行为"), max_length=300)
    clause_breached = models.CharField(_("违反条款"), max_length=300)
    penalty_basis = models.CharField(_("处罚依据"), max_length=300)
    grade = models.CharField(_("裁量阶次"), max_length=20, choices=DiscretionGrade.choices)
    circumstances = models.TextField(_("裁量判断事项"))
    range_min = models.DecimalField(_("处罚幅度下限"), max_digits=14, decimal_places=2)
    range_max = models.DecimalField(_("处罚幅度上限"), max_digits=14, decimal_places=2)
    measure_text = models.CharField(_("处罚内容"), max_length=300,
                                    help_text=_("如:处5万元以上20万元以下罚款;或没收违法所得,并处违法所得1倍以上2倍以下罚款。"))

    class Meta:
        verbose_name = _("裁量基准条目")
        verbose_name_plural = _("裁量基准条目")
        ordering = ["benchmark_id", "order", "id"]

    def __str__(self):
        return f"{self.violation} · {self.get_grade_display()}"

    @property
    def grade_rank(self):
        return GRADE_ORDER.index(self.grade)


