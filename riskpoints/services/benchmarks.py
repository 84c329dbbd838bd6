"""Discretion benchmarks (自由裁量基准): validation and writes."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from riskpoints.models import GRADE_ORDER, DiscretionBenchmark, DiscretionGrade, DiscretionRow
from riskpoints.permissions import can_edit_benchmark

HEADER_FIELDS = ("title", "unit", "statutory_min", "statutory_max", "statutory_text")
ROW_FIELDS = ("violation", "clause_breached", "penalty_basis", "grade", "circumstances", "range_min",
              "range_max", "measure_text")
MIN_GRADES = 3


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def benchmark_validate(*, statutory_min, statutory_max, rows):
    """The rules of a benchmark, all reported at once (ValidationError with one message
    per problem, rows numbered from 1):
    - the statutory range is not inverted;
    - each row has every column, its range is not inverted and lies inside the
      statutory range;
    - per violation: at least three grades, each at most once, no grade skipped
      between 较轻 and the most serious one used (every grade covered), ranges rising
      with the grade and not overlapping (a grade may start where the previous ends);
    """
    errors = []
    smin, smax = _decimal(statutory_min), _decimal(statutory_max)
    if smin is None or smax is None:
        errors.append(_("请填写法定处罚幅度的上下限。"))
    elif smin < 0 or smin > smax:
        errors.append(_("法定处罚幅度下限不能大于上限,且不能为负数。"))
        smin = smax = None
    by_violation = {}
    for i, row in enumerate(rows, start=1):
        missing = [DiscretionRow._meta.get_field(f).verbose_name for f in ROW_FIELDS
                   if f not in ("range_min", "range_max") and not str(row.get(f) or "").strip()]
        if missing:
            errors.append(_("第%(i)s行:请填写%(f)s。") % {"i": i, "f": "、".join(str(m) for m in missing)})
        if row.get("grade") and row["grade"] not in DiscretionGrade.values:
            errors.append(_("第%(i)s行:裁量阶次应为较轻、一般、严重或特别严重。") % {"i": i})
            continue
        rmin, rmax = _decimal(row.get("range_min")), _decimal(row.get("range_max"))
        if rmin is None or rmax is None:
            errors.append(_("第%(i)s行:请填写处罚幅度的上下限。") % {"i": i})
            continue
        if rmin > rmax:
            errors.append(_("第%(i)s行:处罚幅度下限 %(a)s 大于上限 %(b)s。") % {"i": i, "a": rmin, "b": rmax})
            continue
        if smin is not None and (rmin < smin or rmax > smax):
            errors.append(_("第%(i)s行:处罚幅度 %(a)s–%(b)s 超出法定处罚幅度 %(c)s–%(d)s。") % {
                "i": i, "a": rmin, "b": rmax, "c": smin, "d": smax})
        if row.get("grade") and str(row.get("violation") or "").strip():
            by_violation.setdefault(row["violation"].strip(), []).append((i, row["grade"], rmin, rmax))
    if not rows:
        errors.append(_("请至少填写一种违法行为的三个裁量阶次。"))
    for violation, entries in by_violation.items():
        grades = [g for _i, g, _a, _b in entries]
        duplicates = {g for g in grades if grades.count(g) > 1}
        for g in sorted(duplicates, key=GRADE_ORDER.index):
            errors.append(_("“%(v)s”的裁量阶次“%(g)s”重复。") % {"v": violation, "g": DiscretionGrade(g).label})
        distinct = sorted(set(grades), key=GRADE_ORDER.index)
        if len(distinct) < MIN_GRADES:
            errors.append(_("“%(v)s”至少应划分三个裁量阶次,现有%(n)s个。") % {"v": violation, "n": len(distinct)})
        top = GRADE_ORDER.index(distinct[-1]) if distinct else -1
        skipped = [g for g in GRADE_ORDER[: top + 1] if g not in distinct]
        if skipped:
            errors.append(_("“%(v)s”缺少裁量阶次:%(g)s。") % {
                "v": violation, "g": "、".join(str(DiscretionGrade(g).label) for g in skipped)})
        ordered = sorted(entries, key=lambda e: GRADE_ORDER.index(e[1]))
        for (i1, g1, a1, b1), (i2, g2, a2, b2) in zip(ordered, ordered[1:]):
            if g1 == g2:
                continue
            if a2 < b1:
                errors.append(_("“%(v)s”的“%(g1)s”(第%(i1)s行 %(a1)s–%(b1)s)与“%(g2)s”(第%(i2)s行 %(a2)s–%(b2)s)幅度重叠或倒置。") % {
                    "v": violation, "g1": DiscretionGrade(g1).label, "g2": DiscretionGrade(g2).label,
                    "i1": i1, "i2": i2, "a1": a1, "b1": b1, "a2": a2, "b2": b2})
    if errors:
        raise ValidationError(errors)


def _write_rows(benchmark, rows):
    benchmark.rows.all().delete()
    DiscretionRow.objects.bulk_create(
        [
            DiscretionRow(benchmark=benchmark, order=i, **{f: (str(row[f]).strip() if f not in (
                "range_min", "range_max") else _decimal(row[f])) for f in ROW_FIELDS})
            for i, row in enumerate(rows)
        ]
    )


def _set_header(benchmark, data):
    for name in HEADER_FIELDS:
        if name in data:
            setattr(benchmark, name, data[name])
    benchmark.full_clean(exclude=["created_by"])


def benchmark_create(*, user, power, data, rows):
    """Create a benchmark for `power` with its rows. Raises PermissionDenied unless a
    clerk in scope acts; ValidationError (all rule violations at once)."""
    decision = can_edit_benchmark(user, power)
    if not decision:
        raise PermissionDenied(decision.reason)
    benchmark_validate(statutory_min=data.get("statutory_min"), statutory_max=data.get("statutory_max"), rows=rows)
    with transaction.atomic():
        benchmark = DiscretionBenchmark(power=power, region_id=power.region_id, department_id=power.department_id,
                                        created_by=user)
        _set_header(benchmark, data)
        benchmark.save()
        _write_rows(benchmark, rows)
    return benchmark


def benchmark_update(*, user, benchmark, data, rows):
    decision = can_edit_benchmark(user, benchmark.power)
    if not decision:
        raise PermissionDenied(decision.reason)
    benchmark_validate(statutory_min=data.get("statutory_min", benchmark.statutory_min),
                       statutory_max=data.get("statutory_max", benchmark.statutory_max), rows=rows)
    with transaction.atomic():
        benchmark = DiscretionBenchmark.objects.select_for_update().get(pk=benchmark.pk)
        _set_header(benchmark, data)
        benchmark.save()
        _write_rows(benchmark, rows)
    return benchmark
