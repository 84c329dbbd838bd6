"""Reads of inspections, rectifications, accountability and the fired risk points,
each scoped to the user in SQL (supervision.selectors.cases.scope_q, the same rules as
supervision.inspections.permissions)."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from powerlist.org.roles import Role
from riskpoints.models import RiskPoint
from riskpoints.selectors import riskpoint_queryset
from supervision.inspections.flow import OPEN_RECTIFICATION_STATES
from supervision.models import AccountabilityRecord, Alert, Complaint, Finding, InspectionPlan, Rectification
from supervision.selectors.cases import scope_q


def plan_list(*, user):
    return (InspectionPlan.objects.filter(scope_q(user)).select_related("department__region", "region")
            .annotate(finding_count=Count("findings")).order_by("-period_start", "-id"))


def plan_get(*, user, pk):
    return InspectionPlan.objects.filter(scope_q(user), pk=pk).select_related("department", "region",
                                                                             "created_by").first()


def plan_findings(plan):
    """The plan's findings with their links, rectifications and accountability records
    (four queries whatever the number of findings)."""
    return list(
        Finding.objects.filter(plan=plan)
        .select_related("power", "risk_point", "risk_point__power", "case", "alert", "complaint")
        .prefetch_related("rectifications", "accountability_records__circumstance")
        .order_by("id")
    )


def finding_get(*, user, pk):
    return Finding.objects.filter(scope_q(user), pk=pk).select_related("plan", "power", "department",
                                                                      "region").first()


def rectification_list(*, user, open_only=True):
    qs = Rectification.objects.filter(scope_q(user)).select_related("department__region", "region", "finding__plan")
    if open_only:
        qs = qs.filter(state__in=OPEN_RECTIFICATION_STATES)
    return qs.order_by("deadline", "id")


def rectification_get(*, user, pk):
    return (Rectification.objects.filter(scope_q(user), pk=pk)
            .select_related("department", "region", "finding__plan", "finding__power").first())


def accountability_list(*, user):
    return (AccountabilityRecord.objects.filter(scope_q(user))
            .select_related("department__region", "power", "circumstance", "finding__plan")
            .order_by("-decided_on", "-id"))


def _count(qs):
    return Coalesce(Subquery(qs.order_by().values("x").annotate(n=Count("*")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def _firing():
    """Per risk point (an OuterRef row): the alerts at its power and post, the findings
    naming it (or only its power) and the accepted complaints about its power (a
    declined one fires nothing): the same links as supervision.inspections.services."""
    return {
        "alerts": Alert.objects.filter(power_id=OuterRef("power_id")).filter(
            Q(post_id__isnull=True) | Q(post_id=OuterRef("post_id"))),
        "findings": Finding.objects.filter(
            Q(risk_point_id=OuterRef("pk")) | Q(risk_point__isnull=True, power_id=OuterRef("power_id"))),
        "complaints": Complaint.objects.filter(power_id=OuterRef("power_id"), accepted_at__isnull=False),
    }


def fired_riskpoints(*, user, fired_only=False):
    """The risk points in the user's scope with how many alerts, findings and
    complaints fired each, as correlated counts per row of the page (the list is
    paginated); with fired_only, those that at least one fired (EXISTS, not the counts)."""
    firing = _firing()
    qs = riskpoint_queryset().filter(_riskpoint_scope_q(user)).annotate(
        **{f"{name}_fired": _count(sub.annotate(x=Value(1))) for name, sub in firing.items()})
    if fired_only:
        qs = qs.filter(Exists(firing["alerts"]) | Exists(firing["findings"]) | Exists(firing["complaints"]))
    return qs.order_by("department_id", "power__code", "number")


def _riskpoint_scope_q(user):
    """Risk points carry region and department like cases: the same scope, plus the
    region (and below) of an office reviewer, who had them graded."""
    q = scope_q(user)
    if user.department_id and user.has_role(Role.OFFICE_REVIEWER):
        q |= Q(region__path__startswith=user.department.region.path)
    return q


def coverage_totals(*, user):
    """Points in scope, how many confirmed, how many flagged for re-grading (one query)."""
    return RiskPoint.objects.filter(_riskpoint_scope_q(user)).aggregate(
        points=Count("id"), confirmed=Count("id", filter=Q(state="confirmed")),
        flagged=Count("id", filter=Q(regrading_required=True)))
