"""Reads of the assessment pages and exports: stored results, a constant number of
queries whatever the number of departments."""

from django.db.models import Avg

from powerlist.models import Region
from supervision.assessment.charts import bars_svg, line_svg
from supervision.assessment.indicators_def import INDICATORS, Grade
from supervision.models import AssessmentResult

TREND_QUARTERS = 6


def results_for(*, region, year, quarter, published=False):
    """The quarter's rows of the region's departments, ranked (one query). With
    `published`, only published rows, read from their public snapshot."""
    qs = AssessmentResult.objects.filter(region=region, year=year, quarter=quarter).select_related("department")
    if published:
        qs = qs.filter(published_at__isnull=False)
    rows = list(qs.order_by("rank", "department_id"))
    if published:
        for row in rows:
            snap = row.published
            row.values, row.details, row.score = snap["values"], snap["details"], snap["score"]
            row.grade, row.rank, row.as_of = snap["grade"], snap["rank"], snap["as_of"]
        rows.sort(key=lambda r: r.rank)
    return rows


def quarters_back(year, quarter, n):
    out = []
    for _ in range(n):
        out.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return out[::-1]


def trend(*, region, year, quarter, published=False):
    """[(label, mean score of the region's departments or None)] for the last quarters (one query)."""
    quarters = quarters_back(year, quarter, TREND_QUARTERS)
    qs = AssessmentResult.objects.filter(region=region, year__gte=quarters[0][0])
    if published:
        qs = qs.filter(published_at__isnull=False)
    means = {(r["year"], r["quarter"]): r["mean"] for r in
             qs.values("year", "quarter").annotate(mean=Avg("score")).order_by()}
    return [(f"{y}Q{q}", round(float(means[(y, q)]), 1) if (y, q) in means else None) for y, q in quarters]


def ranking_chart(rows, title):
    return bars_svg(title=title, rows=[(r.department.name, r.score, Grade.COLOURS[r.grade]) for r in rows])


def breakdown_chart(row, title):
    return bars_svg(title=title, rows=[(str(i.label), row.values.get(i.key, "0"), "#3b6fb6") for i in INDICATORS])


def trend_chart(points, title):
    return line_svg(title=title, labels=[label for label, _v in points],
                    series=[(str(title), "#3b6fb6", [v for _label, v in points])])


def region_by_code(code):
    return Region.objects.filter(code=code).first()


def latest_published(*, region):
    """(year, quarter) of the region's latest publication, or None."""
    row = (AssessmentResult.objects.filter(region=region, published_at__isnull=False)
           .order_by("-year", "-quarter").values_list("year", "quarter").first())
    return row
