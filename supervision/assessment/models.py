"""Assessment weights per region and results per department and quarter.

Imported into supervision/models.py so the app label stays "supervision". Results are
computed by supervision.assessment.services (aggregates in the database) and stored;
the pages read the stored rows. Only rows with `published_at` set are public."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from supervision.assessment.indicators_def import INDICATORS, Grade


def _weight_field(indicator):
    return models.PositiveSmallIntegerField(indicator.label, default=indicator.default_weight,
                                            validators=[MaxValueValidator(100)])


class AssessmentWeights(models.Model):
    """The weights (sum 100) and grade thresholds a region's office sets for its
    departments. A region without a row uses the defaults."""

    region = models.OneToOneField("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.CASCADE,
                                  related_name="assessment_weights")
    catalogue = _weight_field(INDICATORS[0])
    review = _weight_field(INDICATORS[1])
    disclosure = _weight_field(INDICATORS[2])
    cases = _weight_field(INDICATORS[3])
    cards = _weight_field(INDICATORS[4])
    complaints = _weight_field(INDICATORS[5])
    complaint_handling = _weight_field(INDICATORS[6])
    rectification = _weight_field(INDICATORS[7])
    excellent_from = models.PositiveSmallIntegerField(_("优秀(不低于)"), default=90,
                                                      validators=[MaxValueValidator(100)])
    good_from = models.PositiveSmallIntegerField(_("良好(不低于)"), default=80, validators=[MaxValueValidator(100)])
    pass_from = models.PositiveSmallIntegerField(_("合格(不低于)"), default=60, validators=[MaxValueValidator(100)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")

    def __str__(self):
        return str(self.region)


class AssessmentResult(models.Model):
    """One department's assessment for one quarter, as of `as_of` (a quarter may be
    computed again while it runs; the monthly publication stamps `published_at`).

    `values` holds each indicator's score (0–100) and `details` the counts behind it
    (numerator, denominator, cards …) for the pages and exports."""

    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="assessment_results")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    as_of = models.DateField(_("统计截止日"))
    values = models.JSONField(_("指标得分"), default=dict)
    details = models.JSONField(_("指标明细"), default=dict)
    weights = models.JSONField(_("采用的权重"), default=dict)
    score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.CHOICES)
    rank = models.PositiveIntegerField(_("排名"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))
    # The public snapshot: what the last publication showed (values, details, score,
    # grade, rank, as_of); a later computation does not change it until published.
    published = models.JSONField(_("已公开内容"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["year", "quarter", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "quarter"], name="assessment_once_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="assessment_quarter_1_4"),
        ]
        indexes = [models.Index(fields=["region", "year", "quarter"], name="assessment_region_quarter_idx")]

    def __str__(self):
        return f"{self.department} {self.year}Q{self.quarter}"

    @property
    def ordered_values(self):
        """The indicators' scores in the catalogue's order (tables, exports)."""
        return [self.values.get(i.key, "") for i in INDICATORS]

    @property
    def grade_label(self):
        return Grade.LABELS.get(self.grade, self.grade)
