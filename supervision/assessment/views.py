"""Pages of the assessment: the region's quarter (ranking, trend, table, exports), one
department's breakdown, the weights form, and the public page of published results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powerlist.org.permissions import require
from powerlist.models import Department, Region
from powerlist.pages import apply_errors
from supervision.assessment import selectors as sel
from supervision.assessment.exports import assessment_export_start
from supervision.assessment.forms import QuarterForm, WeightsForm
from supervision.assessment.indicators_def import INDICATOR_KEYS, INDICATORS
from supervision.assessment.permissions import can_set_weights, can_view_assessment, can_view_department_assessment
from supervision.assessment.services import THRESHOLDS, assessment_compute, quarter_of, weights_for, weights_set


def _quarter(request, data):
    """(region, year, quarter) from the query or form; defaults: the user's region and
    the current quarter."""
    form = QuarterForm(data)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    year, quarter = quarter_of(timezone.localdate())
    region = None
    if cleaned.get("region"):
        region = Region.objects.filter(pk=cleaned["region"]).first()
    if region is None:
        if not request.user.department_id:
            raise Http404
        region = request.user.department.region
    return region, cleaned.get("year") or year, cleaned.get("quarter") or quarter


def _query(region, year, quarter):
    return f"?region={region.pk}&year={year}&quarter={quarter}"


@login_required
def assessment_view(request):
    region, year, quarter = _quarter(request, request.GET)
    require(can_view_assessment(request.user, region))
    rows = sel.results_for(region=region, year=year, quarter=quarter)
    points = sel.trend(region=region, year=year, quarter=quarter)
    return render(request, "supervision/assessment.html", {
        "region": region, "year": year, "quarter": quarter, "rows": rows, "indicators": INDICATORS,
        "ranking_svg": sel.ranking_chart(rows, _("综合得分排名")) if rows else "",
        "trend_svg": sel.trend_chart(points, _("平均得分趋势")), "trend": points,
        "can_compute": bool(can_set_weights(request.user, region)), "query": _query(region, year, quarter),
    })


@login_required
@require_POST
def assessment_compute_view(request):
    region, year, quarter = _quarter(request, request.POST)
    require(can_set_weights(request.user, region))
    try:
        rows = assessment_compute(region=region, year=year, quarter=quarter)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("已计算 %(n)s 个部门的考核结果。") % {"n": len(rows)})
    return redirect(reverse("supervision:assessment") + _query(region, year, quarter))


@login_required
@require_POST
def assessment_export_view(request, fmt):
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    region, year, quarter = _quarter(request, request.POST)
    job = assessment_export_start(user=request.user, region=region, year=year, quarter=quarter, fmt=fmt)
    return redirect("powerlist:job_detail", pk=job.pk)


@login_required
def assessment_department_view(request, pk):
    department = Department.objects.select_related("region").filter(pk=pk).first()
    if department is None:
        raise Http404
    require(can_view_department_assessment(request.user, department))
    region, year, quarter = _quarter(request, {**request.GET.dict(), "region": department.region_id})
    row = next((r for r in sel.results_for(region=region, year=year, quarter=quarter)
                if r.department_id == department.pk), None)
    details = ([(i, row.values.get(i.key), row.weights.get(i.key), row.details.get(i.key, {})) for i in INDICATORS]
               if row else [])
    return render(request, "supervision/assessment_department.html", {
        "department": department, "year": year, "quarter": quarter, "row": row, "details": details,
        "breakdown_svg": sel.breakdown_chart(row, _("各项指标得分")) if row else "",
    })


@login_required
def assessment_weights_view(request):
    region, _year, _quarter_number = _quarter(request, request.GET)
    require(can_set_weights(request.user, region))
    weights = weights_for(region)
    initial = {k: getattr(weights, k) for k in INDICATOR_KEYS + THRESHOLDS}
    form = WeightsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            weights_set(user=request.user, region=region, values=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("考核权重已保存,下次计算时生效。"))
            return redirect(reverse("supervision:assessment_weights") + f"?region={region.pk}")
    return render(request, "supervision/assessment_weights.html", {"form": form, "region": region})


def assessment_public_view(request, region_code):
    """Published results only, for everyone (no account)."""
    region = sel.region_by_code(region_code)
    if region is None:
        raise Http404
    form = QuarterForm(request.GET)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    latest = sel.latest_published(region=region)
    year = cleaned.get("year") or (latest[0] if latest else None)
    quarter = cleaned.get("quarter") or (latest[1] if latest else None)
    rows = sel.results_for(region=region, year=year, quarter=quarter, published=True) if year else []
    points = sel.trend(region=region, year=year, quarter=quarter, published=True) if year else []
    return render(request, "supervision/assessment_public.html", {
        "region": region, "year": year, "quarter": quarter, "rows": rows, "indicators": INDICATORS,
        "ranking_svg": sel.ranking_chart(rows, _("综合得分排名")) if rows else "",
        "trend_svg": sel.trend_chart(points, _("平均得分趋势")) if points else "", "trend": points,
        "as_of": rows[0].as_of if rows else None,
    })
