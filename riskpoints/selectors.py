"""Reads for the risk-point pages and API, scoped to the user in SQL."""

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.fields import BooleanField
from django.db.models.functions import Coalesce
from django.utils import timezone

from powerlist.models import Category, Department, Power, Region, ReviewState, User
from powerlist.org.roles import Role
from powerlist.org.selectors import visible_q
from powerlist.review.selectors import flow_queue_q
from riskpoints.models import (
    LEVEL_COLOURS,
    LEVEL_RANK,
    Countermeasure,
    DiscretionBenchmark,
    ExpertAssignment,
    RiskLevel,
    RiskPoint,
    RiskPointUserObjectPermission,
    Stage,
)
from riskpoints.permissions import REVIEW_PERMISSION

# A confirmed point needs re-grading when flagged, or when its power or flowchart has
# a newer revision than the one its grading was confirmed against (no hook needed).
REGRADING_Q = Q(state=ReviewState.CONFIRMED) & (
    Q(regrading_required=True)
    | ~Q(rg_power_seen=F("power__revision"))
    | ~Q(rg_flowchart_seen=F("rg_flowchart_now"))
)


def assigned_to_expert_q(user, *, prefix=""):
    """Risk points the user holds the expert grant for, as a subquery (never an id list)."""
    granted = RiskPointUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=REVIEW_PERMISSION
    ).values("content_object_id")
    return Q(**{f"{prefix}pk__in": granted}) if not prefix else Q(**{f"{prefix}id__in": granted})


def riskpoint_visible_q(user, *, prefix=""):
    if not user.is_authenticated:
        return Q(pk__in=[])
    visible = visible_q(user, prefix=prefix)
    if not visible:  # Q() means "everything"; Q() | x would narrow it to x
        return visible
    return visible | assigned_to_expert_q(user, prefix=prefix)


def _with_revisions(qs):
    """The revisions REGRADING_Q compares (the flowchart may be missing: 0)."""
    return qs.annotate(
        rg_power_seen=Coalesce("confirmed_power_revision", Value(0)),
        rg_flowchart_seen=Coalesce("confirmed_flowchart_revision", Value(0)),
        rg_flowchart_now=Coalesce("power__flowchart__revision", Value(0)),
    )


def with_regrading(qs):
    return _with_revisions(qs).annotate(needs_regrading=Case(When(REGRADING_Q, then=Value(True)), default=Value(False),
                                    output_field=BooleanField()))


def riskpoint_queryset():
    return with_regrading(
        RiskPoint.objects.select_related(
            "power", "power__category", "department", "division", "region", "post", "step"
        )
    )


def riskpoint_list(*, user, filters=None):
    """Risk points the user may read. filters: power, department, state, level, stage,
    regrading (truthy: only those needing re-grading), q (text)."""
    filters = filters or {}
    qs = riskpoint_queryset().filter(riskpoint_visible_q(user))
    for name in ("power", "department", "state", "level", "stage"):
        if filters.get(name):
            qs = qs.filter(**{f"{name}_id" if name in ("power", "department") else name: filters[name]})
    if filters.get("regrading"):
        qs = qs.filter(needs_regrading=True)
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(description__icontains=text) | Q(power__name__icontains=text)
                       | Q(power__code__icontains=text))
    # department_id, not department__order: sorting on a joined column costs 3× on a big region.
    return qs.order_by("department_id", "power__code", "number")


def riskpoint_review_queue(*, user, role):
    """Points waiting for `user` acting as `role`, by the risk point's flow."""
    return riskpoint_queryset().filter(flow_queue_q(user, role, model=RiskPoint)).order_by("submitted_at", "id")


def expert_assignments(*, user, open_only=False):
    """The expert's assignments (newest round of each point first), with their points."""
    qs = ExpertAssignment.objects.filter(expert=user).select_related(
        "riskpoint", "riskpoint__power", "riskpoint__department", "assigned_by"
    )
    if open_only:
        qs = qs.filter(verdict="", riskpoint__state=ReviewState.OFFICE_REVIEW,
                       round_version=F("riskpoint__version"))
    return qs.order_by("verdict", "-assigned_at")


def riskpoint_assignments(*, riskpoint, user=None):
    """Expert opinions on a point, every round; an expert sees only their own."""
    qs = riskpoint.expert_assignments.select_related("expert", "expert__department", "assigned_by")
    if user is not None:
        qs = qs.filter(expert=user)
    return qs.order_by("-round_version", "assigned_at", "id")


def expert_candidates(*, riskpoint):
    """Users the office may ask: experts of this level or above, leaders of the other
    ordinary departments of the region (see permissions.can_be_expert_for), less
    those already asked in the current round."""
    region = riskpoint.region
    ancestors = [p + "/" for p in _path_prefixes(region.path)]
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_assignments__role=Role.EXPERT, department__region__path__in=ancestors)
            | (
                Q(role_assignments__role=Role.DEPARTMENT_REVIEWER, department__region=region,
                  department__kind=Department.Kind.ORDINARY)
                & ~Q(department_id=riskpoint.department_id)
            )
        )
        .exclude(expert_assignments__riskpoint=riskpoint, expert_assignments__round_version=riskpoint.version)
        .select_related("department")
        .distinct()
        .order_by("department__order", "username")
    )


def _path_prefixes(path):
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def riskpoints_for_power(*, user, power):
    return riskpoint_queryset().filter(riskpoint_visible_q(user), power=power).prefetch_related(
        "countermeasures"
    ).order_by("number")


def step_highlights(*, riskpoints):
    """{step_id: colour} with the highest level of the points marked on each step."""
    best = {}
    for rp in riskpoints:
        if rp.step_id and LEVEL_RANK[rp.level] > LEVEL_RANK.get(best.get(rp.step_id), 0):
            best[rp.step_id] = rp.level
    return {step_id: LEVEL_COLOURS[level] for step_id, level in best.items()}


def benchmark_list(*, user, power=None):
    qs = DiscretionBenchmark.objects.filter(visible_q(user, prefix="power__")).select_related(
        "power", "department"
    )
    if power is not None:
        qs = qs.filter(power=power)
    return qs.order_by("department_id", "power__code", "id")


# ---------------------------------------------------------------- coverage

def _scope_filter(scope, *, prefix=""):
    """Filter for ("department", dept) or ("region", region incl. the regions below).

    An office reads the regions below only past the draft stage (like
    powerlist.org.selectors.visible_q): another region's drafts never show, not even as a
    row of a work list. The state is the filtered model's own (power or risk point)."""
    kind, obj = scope
    if kind == "department":
        return Q(**{f"{prefix}department_id": obj.pk})
    return Q(**{f"{prefix}region_id": obj.pk}) | (
        Q(**{f"{prefix}region__path__startswith": obj.path}) & ~Q(**{f"{prefix}state": ReviewState.DRAFT})
    )


def _active_powers():
    return Power.objects.exclude(disposition=Power.Disposition.CANCEL)


def coverage_rows(*, scope, group_by="department"):
    """Coverage numbers grouped by department or by region, in a constant number of
    queries (one grouped aggregate each for powers, risk points and measures, plus the
    group labels), whatever the size of the region.

    Every count is a plain join aggregate (no correlated subquery per row): powers
    without a risk point are the powers minus the distinct powers that have one;
    confirmed points without a measure in force are the confirmed points minus the
    distinct confirmed points that have one.

    Returns a list of dicts: group (Department or Region), powers, uncovered_powers,
    points, level_<high|medium|low>, stage_<decision|…>, confirmed,
    confirmed_without_measure (no measure in force), regrading, measures,
    overdue_measures; plus a total row (group None)."""
    key = "department_id" if group_by == "department" else "region_id"
    today = timezone.localdate()
    power_rows = (
        _active_powers().filter(_scope_filter(scope)).values(key).annotate(powers=Count("id")).order_by()
    )
    point_aggregates = {
        "points": Count("id"),
        "covered_powers": Count("power_id", distinct=True, filter=~Q(power__disposition=Power.Disposition.CANCEL)),
        "confirmed": Count("id", filter=Q(state=ReviewState.CONFIRMED)),
        "regrading": Count("id", filter=REGRADING_Q),
    }
    point_aggregates.update({f"level_{lv}": Count("id", filter=Q(level=lv)) for lv in RiskLevel.values})
    point_aggregates.update({f"stage_{st}": Count("id", filter=Q(stage=st)) for st in Stage.values})
    point_rows = (
        _with_revisions(RiskPoint.objects.filter(_scope_filter(scope)))
        .values(key).annotate(**point_aggregates).order_by()
    )
    measure_rows = (
        Countermeasure.objects.filter(_scope_filter(scope, prefix="riskpoint__"))
        .values(f"riskpoint__{key}")
        .annotate(
            measures=Count("id"),
            overdue_measures=Count("id", filter=Q(state=Countermeasure.State.PLANNED, deadline__lt=today)),
            confirmed_with_measure=Count("riskpoint_id", distinct=True, filter=Q(
                state=Countermeasure.State.IN_FORCE, riskpoint__state=ReviewState.CONFIRMED)),
        )
        .order_by()
    )
    if group_by == "department":
        groups = Department.objects.filter(kind=Department.Kind.ORDINARY).filter(
            Q(pk=scope[1].pk) if scope[0] == "department" else Q(region__path__startswith=scope[1].path)
        ).select_related("region").order_by("region__path", "order", "name")
    else:
        base = scope[1] if scope[0] == "region" else scope[1].region
        groups = Region.objects.filter(path__startswith=base.path).order_by("path")

    numbers = {}
    for row in power_rows:
        numbers.setdefault(row[key], {})["powers"] = row["powers"]
    for row in point_rows:
        numbers.setdefault(row[key], {}).update({k: v for k, v in row.items() if k != key})
    for row in measure_rows:
        numbers.setdefault(row[f"riskpoint__{key}"], {}).update({k: v for k, v in row.items() if k != f"riskpoint__{key}"})
    for n in numbers.values():
        n["uncovered_powers"] = n.get("powers", 0) - n.get("covered_powers", 0)
        n["confirmed_without_measure"] = n.get("confirmed", 0) - n.get("confirmed_with_measure", 0)
    fields = ["powers", "uncovered_powers", "points", "confirmed", "confirmed_without_measure", "regrading",
              "measures", "overdue_measures"] + [f"level_{lv}" for lv in RiskLevel.values] + [
              f"stage_{st}" for st in Stage.values]
    result = []
    total = {f: 0 for f in fields}
    for group in groups:
        row = {f: numbers.get(group.pk, {}).get(f, 0) for f in fields}
        for f in fields:
            total[f] += row[f]
        result.append({"group": group, **row})
    return result, {"group": None, **total}


def uncovered_powers(*, scope):
    """Powers (not cancelled) in scope with no risk point yet."""
    return (
        _active_powers().filter(_scope_filter(scope))
        .filter(~Exists(RiskPoint.objects.filter(power_id=OuterRef("pk"))))
        .select_related("department", "category", "region")
        .order_by("department__order", "department_id", "code")
    )


def confirmed_without_measure(*, scope):
    """Confirmed points none of whose measures is in force yet."""
    return (
        riskpoint_queryset().filter(_scope_filter(scope), state=ReviewState.CONFIRMED)
        .filter(~Exists(Countermeasure.objects.filter(riskpoint_id=OuterRef("pk"),
                                                      state=Countermeasure.State.IN_FORCE)))
        .order_by("department_id", "power__code", "number")
    )


def overdue_measures(*, scope):
    return (
        Countermeasure.objects.filter(_scope_filter(scope, prefix="riskpoint__"),
                                      state=Countermeasure.State.PLANNED, deadline__lt=timezone.localdate())
        .select_related("riskpoint", "riskpoint__power", "riskpoint__department")
        .order_by("deadline", "id")
    )


def regrading_points(*, scope):
    return riskpoint_queryset().filter(_scope_filter(scope)).filter(needs_regrading=True).order_by(
        "department_id", "power__code", "number")


def grading_rule_high_categories(rule):
    """The names of the categories `rule` always grades high, in the rule's order, for
    the forms' hints (users know 行政处罚, not CF); a code that names no category stays
    as written. One query."""
    codes = rule.category_codes()
    names = dict(Category.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(code, code) for code in codes]
