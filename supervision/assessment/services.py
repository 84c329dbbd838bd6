"""Writes of the assessment: the weights, computing a quarter's results, publishing them.

assessment_compute runs one aggregate query per indicator for all the region's
departments (supervision.assessment.indicators) and writes every result row in one
statement; assessment_publish copies the rows into their public snapshot."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.models import Department, Region
from powerlist.org.permissions import require
from supervision.assessment import indicators
from supervision.assessment.indicators_def import INDICATOR_KEYS, INDICATORS, Grade
from supervision.assessment.permissions import can_set_weights
from supervision.models import AssessmentResult, AssessmentWeights

THRESHOLDS = ("excellent_from", "good_from", "pass_from")


def weights_for(region) -> AssessmentWeights:
    """The region's weights, or the defaults (unsaved) when its office set none."""
    return AssessmentWeights.objects.filter(region=region).first() or AssessmentWeights(region=region)


def weights_validate(values) -> None:
    """Raise ValidationError unless the weights are whole numbers 0–100 summing to 100
    and the thresholds descend (优秀 > 良好 > 合格)."""
    errors = {}
    for key in INDICATOR_KEYS + THRESHOLDS:
        value = values.get(key)
        if not isinstance(value, int) or not 0 <= value <= 100:
            errors[key] = _("请填写 0 到 100 之间的整数。")
    if errors:
        raise ValidationError(errors)
    total = sum(values[k] for k in INDICATOR_KEYS)
    if total != 100:
        errors["__all__"] = _("各项权重之和必须为 100,现在是 %(total)s。") % {"total": total}
    if not values["excellent_from"] > values["good_from"] > values["pass_from"]:
        errors["good_from"] = _("等次分数线必须依次降低:优秀 > 良好 > 合格。")
    if errors:
        raise ValidationError(errors)


def weights_set(*, user, region, values):
    """The region's office sets its weights and thresholds (all or nothing)."""
    require(can_set_weights(user, region))
    weights_validate(values)
    with transaction.atomic():
        weights, _created = AssessmentWeights.objects.select_for_update().get_or_create(region=region)
        for key in INDICATOR_KEYS + THRESHOLDS:
            setattr(weights, key, values[key])
        weights.updated_by = user
        weights.save()
    return weights


def grade_of(score, weights):
    if score >= weights.excellent_from:
        return Grade.EXCELLENT
    if score >= weights.good_from:
        return Grade.GOOD
    if score >= weights.pass_from:
        return Grade.PASS
    return Grade.FAIL


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def assessment_compute(*, region, year, quarter, as_of=None):
    """Compute and store the quarter's results of every ordinary department of `region`
    (its own level only: each level assesses its own departments). A quarter still
    running is computed up to `as_of` (default today). Returns the rows, ranked."""
    start, end = indicators.quarter_bounds(year, quarter)
    today = timezone.localdate()
    as_of = min(as_of or today, end - datetime.timedelta(days=1))
    if as_of < start:
        raise ValidationError(_("该季度尚未开始。"))
    weights = weights_for(region)
    departments = list(Department.objects.filter(region=region, kind=Department.Kind.ORDINARY)
                       .order_by("order", "name").values_list("pk", flat=True))
    # Counts up to the end of as_of.
    stop = as_of + datetime.timedelta(days=1)
    counts = {key: fn(departments, start, stop) for key, fn in indicators.COMPUTE.items()}
    counts["rectification"] = indicators.rectification(departments, start, stop, as_of)
    now = timezone.now()
    rows = []
    for department_id in departments:
        details = {key: counts[key].get(department_id, {}) for key in INDICATOR_KEYS}
        values = {key: indicators.score_of(key, details[key]) for key in INDICATOR_KEYS}
        score = (sum(values[i.key] * getattr(weights, i.key) for i in INDICATORS) / 100).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)
        rows.append(AssessmentResult(
            region=region, department_id=department_id, year=year, quarter=quarter, as_of=as_of,
            values={k: str(v) for k, v in values.items()}, details=details,
            weights={k: getattr(weights, k) for k in INDICATOR_KEYS + THRESHOLDS},
            score=score, grade=grade_of(score, weights), computed_at=now))
    rows.sort(key=lambda r: (-r.score, r.department_id))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    AssessmentResult.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["department", "year", "quarter"],
        update_fields=["as_of", "values", "details", "weights", "score", "grade", "rank", "computed_at"])
    return rows


def assessment_publish(*, region, year, quarter, as_of=None):
    """Compute the quarter (up to `as_of`) and publish it: each row's public snapshot
    becomes what was just computed. Returns the number of rows published."""
    rows = assessment_compute(region=region, year=year, quarter=quarter, as_of=as_of)
    now = timezone.now()
    with transaction.atomic():
        for row in AssessmentResult.objects.select_for_update().filter(
                region=region, year=year, quarter=quarter):
            row.published = {"values": row.values, "details": row.details, "score": str(row.score),
                             "grade": row.grade, "rank": row.rank, "as_of": row.as_of.isoformat()}
            row.published_at = now
            row.save(update_fields=["published", "published_at"])
    return len(rows)


def assessment_publish_month(*, today=None):
    """The monthly publication (beat, first day of the month): every region's results
    for the quarter holding the last day of the previous month, up to that day."""
    today = today or timezone.localdate()
    last_day = today.replace(day=1) - datetime.timedelta(days=1)
    year, quarter = quarter_of(last_day)
    regions = Region.objects.filter(departments__kind=Department.Kind.ORDINARY).distinct()
    return sum(assessment_publish(region=r, year=year, quarter=quarter, as_of=last_day) for r in regions)
