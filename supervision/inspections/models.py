"""Inspection plans, findings, rectifications and accountability records.

Imported into supervision/models.py so the app label stays "supervision". Every write
goes through supervision.inspections.services; a rectification changes state only
through the flow engine (RECTIFICATION_FLOW)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powerlist.review.models import FlowItem
from supervision.inspections.flow import RECTIFICATION_FLOW, RectificationState


class InspectionPlan(models.Model):
    """A periodic inspection (监督检查) of one department over a period, planned by a
    supervisor of the department's region (or a region above it)."""

    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("被检查部门"), on_delete=models.PROTECT,
                                   related_name="inspection_plans")
    title = models.CharField(_("检查名称"), max_length=200)
    period_start = models.DateField(_("检查期间起"))
    period_end = models.DateField(_("检查期间止"))
    scope = models.TextField(_("检查内容"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制定人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["-period_start", "-id"]
        indexes = [models.Index(fields=["region", "period_start"], name="inspection_region_period_idx"),
                   models.Index(fields=["department", "period_start"], name="inspection_dept_period_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                              name="inspection_period_ordered")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:inspection_detail", args=[self.pk])


class Finding(models.Model):
    """A problem found by an inspection, linked to what it is about: a power, a risk
    point, a case, an alert or a complaint (each optional, all in the inspected
    department)."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("检查计划"), on_delete=models.CASCADE,
                             related_name="findings")
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    description = models.TextField(_("发现问题"))
    power = models.ForeignKey("powerlist.Power", verbose_name=_("行政权力"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    risk_point = models.ForeignKey("riskpoints.RiskPoint", verbose_name=_("廉政风险点"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("supervision.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    alert = models.ForeignKey("supervision.Alert", verbose_name=_("预警"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey("supervision.Complaint", verbose_name=_("投诉举报"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")
        ordering = ["plan_id", "id"]
        indexes = [models.Index(fields=["risk_point"], name="finding_riskpoint_idx",
                                condition=models.Q(risk_point__isnull=False))]

    def __str__(self):
        return self.description[:40]


class Rectification(FlowItem):
    """What the inspected department must put right for a finding, by a deadline; it
    travels RECTIFICATION_FLOW. On time: the accepted filing was made on or before
    the deadline."""

    flow = RECTIFICATION_FLOW
    state = models.CharField(_("整改状态"), max_length=20, choices=RectificationState.choices,
                             default=RectificationState.OPEN, db_index=True)
    finding = models.ForeignKey(Finding, verbose_name=_("检查发现问题"), on_delete=models.CASCADE,
                                related_name="rectifications")
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    requirement = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"))
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    last_return_comment = models.TextField(_("最近退回意见"), blank=True)
    created_at = models.DateTimeField(_("下达时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["department", "deadline"], name="rectification_dept_due_idx"),
                   models.Index(fields=["region", "state"], name="rectification_region_state_idx")]

    def __str__(self):
        return f"{self.department.name}:{self.requirement[:30]}"

    def get_absolute_url(self):
        return reverse("supervision:rectification_detail", args=[self.pk])

    @property
    def is_overdue(self):
        return self.state != RectificationState.ACCEPTED and self.deadline < timezone.localdate()


class AccountabilityMeasure(models.TextChoices):
    ADMONITION = "admonition", _("诫勉谈话")
    CRITICISM = "criticism", _("通报批评")
    SELF_EXAMINATION = "self_examination", _("责令书面检查")
    ORGANISATIONAL = "organisational", _("组织处理(调离岗位、停职检查等)")
    DISCIPLINARY = "disciplinary", _("党纪政务处分")
    JUDICIAL = "judicial", _("移送司法机关")


class AccountabilityRecord(models.Model):
    """One accountability decision (责任追究): who, under which of the power's
    accountability circumstances (追责情形), what measure, on what ground."""

    finding = models.ForeignKey(Finding, verbose_name=_("检查发现问题"), on_delete=models.PROTECT,
                                related_name="accountability_records")
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    power = models.ForeignKey("powerlist.Power", verbose_name=_("行政权力"), on_delete=models.PROTECT,
                              related_name="+")
    circumstance = models.ForeignKey("powerlist.AccountabilityCircumstance", verbose_name=_("追责情形"),
                                     on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("责任人"), max_length=50)
    person_post = models.CharField(_("职务或岗位"), max_length=100, blank=True)
    measure = models.CharField(_("处理措施"), max_length=20, choices=AccountabilityMeasure.choices)
    ground = models.TextField(_("处理依据"))
    decided_on = models.DateField(_("决定日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("责任追究记录")
        verbose_name_plural = _("责任追究记录")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["department", "decided_on"], name="accountability_dept_date_idx")]

    def __str__(self):
        return f"{self.person_name} {self.get_measure_display()}"
