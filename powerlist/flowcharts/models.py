"""Flowcharts (行政权力运行流程图), their steps and transitions, and posts (岗位说明书).

Skeleton shared with the risk-point app (which points at posts and steps); the
flowchart issue fleshes out the behaviour.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powerlist.catalogue.models import Category, Power
from powerlist.org.models import Department, Division, Region
from powerlist.posts.models import Post
from powerlist.review.models import Reviewable
from powerlist.review.flows import REVIEW_WITH_FINAL


class Flowchart(Reviewable):
    """A category flowchart (per category per department) or a power's own flowchart."""

    class Kind(models.TextChoices):
        CATEGORY = "category", _("类别流程图")
        POWER = "power", _("事项流程图")

    flow = REVIEW_WITH_FINAL

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.POWER)
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="flowcharts")
    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="flowcharts")
    category = models.ForeignKey(Category, verbose_name=_("职权类别"), on_delete=models.PROTECT,
                                 related_name="flowcharts")
    power = models.OneToOneField(Power, verbose_name=_("行政权力"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="flowchart")
    # The power's division (None for category flowcharts): the clerk scope and the
    # clerk's queue filter on it, as they do for powers.
    division = models.ForeignKey(Division, verbose_name=_("内部负责机构"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="flowcharts")
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    in_force = models.ForeignKey("FlowchartRevision", verbose_name=_("现行版本"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("流程图")
        verbose_name_plural = _("流程图")
        ordering = ["department", "kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["department", "category"], condition=models.Q(kind="category"),
                                    name="flowchart_one_category_chart_per_department"),
        ]
        indexes = [models.Index(fields=["region", "state"], name="flowchart_region_state_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("powerlist:flowchart_detail", args=[self.pk])



class Step(models.Model):
    flowchart = models.ForeignKey(Flowchart, verbose_name=_("流程图"), on_delete=models.CASCADE,
                                  related_name="steps")
    order = models.PositiveIntegerField(_("顺序"), default=0)
    name = models.CharField(_("环节名称"), max_length=100)
    post = models.ForeignKey(Post, verbose_name=_("承办岗位"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="steps")
    handling_rules = models.TextField(_("办理制度"), blank=True)
    duty_requirements = models.TextField(_("职责要求"), blank=True)
    time_limit_days = models.PositiveIntegerField(_("时限(工作日)"), null=True, blank=True)
    is_checkpoint = models.BooleanField(_("监督制约环节"), default=False)
    checkpoint_note = models.TextField(_("监督制约内容"), blank=True)
    counterpart_rights = models.TextField(_("相对人的权利"), blank=True)
    complaint_channels = models.TextField(_("投诉举报途径和方式"), blank=True)
    is_final = models.BooleanField(_("终止环节"), default=False)

    class Meta:
        verbose_name = _("流程环节")
        verbose_name_plural = _("流程环节")
        ordering = ["flowchart", "order", "id"]

    def __str__(self):
        return self.name


class StepTransition(models.Model):
    flowchart = models.ForeignKey(Flowchart, verbose_name=_("流程图"), on_delete=models.CASCADE,
                                  related_name="transitions")
    source = models.ForeignKey(Step, verbose_name=_("起始环节"), on_delete=models.CASCADE,
                               related_name="outgoing")
    target = models.ForeignKey(Step, verbose_name=_("下一环节"), on_delete=models.CASCADE,
                               related_name="incoming")
    label = models.CharField(_("条件"), max_length=50, blank=True,
                             help_text=_("如:符合条件 / 不符合条件 / 需要听证"))

    class Meta:
        verbose_name = _("环节流转")
        verbose_name_plural = _("环节流转")
        constraints = [models.UniqueConstraint(fields=["source", "target", "label"], name="step_transition_unique")]

    def __str__(self):
        return f"{self.source} → {self.target}"


class FlowchartRevision(models.Model):
    """The frozen content (steps, transitions) of a confirmed flowchart."""

    flowchart = models.ForeignKey(Flowchart, verbose_name=_("流程图"), on_delete=models.CASCADE,
                                  related_name="revisions")
    number = models.PositiveIntegerField(_("修订号"))
    data = models.JSONField(_("内容"))
    confirmed_at = models.DateTimeField(_("确认时间"))

    class Meta:
        verbose_name = _("流程图确认版本")
        verbose_name_plural = _("流程图确认版本")
        ordering = ["flowchart", "-number"]
        constraints = [models.UniqueConstraint(fields=["flowchart", "number"], name="flowchart_revision_unique")]

    def __str__(self):
        return f"{self.flowchart} v{self.number}"
