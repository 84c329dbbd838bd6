"""The assessment's indicators, computed in the database for every department of a region
at once: one aggregate query per indicator, grouped by department, whatever the number
of departments or rows (docs/assessment.md states each rule; the same words are in
indicators_def.INDICATORS).

Each function returns {department_id: {counts}}; `score_of` turns the counts of one
indicator into its 0–100 score."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from disclosure.models import PublishedPower
from powerlist.catalogue.models import AccountabilityCircumstance, LegalBasis, Power
from powerlist.flowcharts.models import Flowchart
from powerlist.models import ReviewAction, ReviewLogEntry, ReviewState
from riskpoints.models import Countermeasure, RiskPoint
from supervision.complaints.flow import ComplaintOutcome, ComplaintState
from supervision.inspections.flow import RectificationState
from supervision.models import Alert, AlertKind, Case, Complaint, Rectification

REVIEW_DAYS = 5
HANDLING_DAYS = 15
CATALOGUE_TEXT_FIELDS = ("responsible_leader", "staff_duties", "conditions", "service_commitment",
                         "work_discipline")
# Complaints that count against a department: neither declined nor found unfounded,
# outside its remit or withdrawn (an honest outcome is not a mark against it).
NOT_AGAINST = (ComplaintOutcome.NOT_SUBSTANTIATED, ComplaintOutcome.OUTSIDE_REMIT, ComplaintOutcome.WITHDRAWN)


def quarter_bounds(year, quarter):
    """(first day, first day of the next quarter) as dates."""
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else start.month + 3, 1)
    return start, end


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _grouped(qs, **aggregates):
    return {row.pop("department_id"): row for row in qs.values("department_id").annotate(**aggregates).order_by()}


def catalogue(department_ids, start, end):
    """Main items not cancelled; complete = every catalogue text filled, a legal basis,
    an accountability circumstance, a flowchart, at least one risk point and no risk
    point without a countermeasure. (The catalogue as it stands when computed.)"""
    texts = Q()
    for name in CATALOGUE_TEXT_FIELDS:
        texts &= ~Q(**{name: ""})
    point_without_measure = RiskPoint.objects.filter(power_id=OuterRef("pk")).exclude(
        Exists(Countermeasure.objects.filter(riskpoint_id=OuterRef("pk"))))
    qs = (Power.objects.filter(department_id__in=department_ids, parent__isnull=True)
          .exclude(disposition=Power.Disposition.CANCEL)
          .annotate(c_basis=Exists(LegalBasis.objects.filter(power_id=OuterRef("pk"))),
                    c_acc=Exists(AccountabilityCircumstance.objects.filter(power_id=OuterRef("pk"))),
                    c_chart=Exists(Flowchart.objects.filter(power_id=OuterRef("pk"))),
                    c_point=Exists(RiskPoint.objects.filter(power_id=OuterRef("pk"))),
                    c_bare=Exists(point_without_measure)))
    complete = texts & Q(c_basis=True, c_acc=True, c_chart=True, c_point=True, c_bare=False)
    return _grouped(qs, total=Count("id"), good=Count("id", filter=complete))


def review(department_ids, start, end):
    """Department reviewers' approvals and returns in the quarter, and how many came
    within REVIEW_DAYS days of the item's arrival in department review (read from the
    operation record)."""
    arrived = (ReviewLogEntry.objects.filter(content_type_id=OuterRef("content_type_id"),
                                             object_id=OuterRef("object_id"),
                                             to_state=ReviewState.DEPARTMENT_REVIEW,
                                             created_at__lt=OuterRef("created_at"))
               .order_by("-created_at").values("created_at")[:1])
    qs = (ReviewLogEntry.objects.filter(department_id__in=department_ids, from_state=ReviewState.DEPARTMENT_REVIEW,
                                        action__in=(ReviewAction.APPROVE, ReviewAction.RETURN),
                                        created_at__gte=_moment(start), created_at__lt=_moment(end))
          .annotate(arrived=Subquery(arrived)))
    return _grouped(qs, total=Count("id"), good=Count("id", filter=Q(
        created_at__lte=F("arrived") + datetime.timedelta(days=REVIEW_DAYS))))


def disclosure(department_ids, start, end):
    """Confirmed main items not cancelled, and how many have a current publication."""
    qs = (Power.objects.filter(department_id__in=department_ids, parent__isnull=True, in_force__isnull=False)
          .exclude(disposition=Power.Disposition.CANCEL)
          .annotate(published=Exists(PublishedPower.objects.filter(power_id=OuterRef("pk"), is_current=True))))
    return _grouped(qs, total=Count("id"), good=Count("id", filter=Q(published=True)))


def cases(department_ids, start, end):
    """Cases decided in the quarter, and how many on time."""
    qs = Case.objects.filter(department_id__in=department_ids, decided_at__gte=_moment(start),
                             decided_at__lt=_moment(end))
    return _grouped(qs, total=Count("id"), good=Count("id", filter=Q(on_time=True)))


def cards(department_ids, start, end):
    """Yellow and red cards raised in the quarter."""
    qs = Alert.objects.filter(department_id__in=department_ids, raised_at__gte=_moment(start),
                              raised_at__lt=_moment(end), kind__in=(AlertKind.YELLOW, AlertKind.RED))
    return _grouped(qs, yellow=Count("id", filter=Q(kind=AlertKind.YELLOW)),
                    red=Count("id", filter=Q(kind=AlertKind.RED)))


def complaints(department_ids, start, end):
    """Complaints received in the quarter that count against the department, and the
    cases received in the quarter (the rate's base)."""
    against = (Complaint.objects.filter(department_id__in=department_ids, received_at__gte=_moment(start),
                                        received_at__lt=_moment(end))
               .exclude(state=ComplaintState.DECLINED).exclude(outcome__in=NOT_AGAINST))
    result = {k: {"complaints": v["n"], "cases": 0} for k, v in _grouped(against, n=Count("id")).items()}
    received = Case.objects.filter(department_id__in=department_ids, received_at__gte=_moment(start),
                                   received_at__lt=_moment(end))
    for department_id, row in _grouped(received, n=Count("id")).items():
        result.setdefault(department_id, {"complaints": 0})["cases"] = row["n"]
    return result


def complaint_handling(department_ids, start, end):
    """Complaints replied to in the quarter and their mean time from receipt to reply."""
    qs = Complaint.objects.filter(department_id__in=department_ids, replied_at__gte=_moment(start),
                                  replied_at__lt=_moment(end))
    rows = _grouped(qs, total=Count("id"), mean=Avg(F("replied_at") - F("received_at")))
    for row in rows.values():
        row["mean_days"] = round(row.pop("mean").total_seconds() / 86400, 1) if row.get("mean") else 0
    return rows


def rectification(department_ids, start, end, as_of):
    """Rectifications due in the quarter up to `as_of`, and how many were filed by the
    deadline and accepted."""
    last_day = min(as_of, end - datetime.timedelta(days=1))
    qs = Rectification.objects.filter(department_id__in=department_ids, deadline__gte=start, deadline__lte=last_day)
    return _grouped(qs, total=Count("id"), good=Count("id", filter=Q(
        state=RectificationState.ACCEPTED, submitted_at__date__lte=F("deadline"))))


def _rate(row, empty):
    total = row.get("total", 0)
    return Decimal(empty) if not total else Decimal(100) * row.get("good", 0) / total


def score_of(key, row):
    """The 0–100 score of one indicator from its counts (docs/assessment.md)."""
    if key in ("catalogue", "disclosure"):
        value = _rate(row, 0)
    elif key in ("review", "cases", "rectification"):
        value = _rate(row, 100)
    elif key == "cards":
        value = Decimal(max(0, 100 - 5 * row.get("yellow", 0) - 10 * row.get("red", 0)))
    elif key == "complaints":
        base = max(row.get("cases", 0), 100)
        value = max(Decimal(0), 100 - Decimal(10) * row.get("complaints", 0) * 100 / base)
    elif key == "complaint_handling":
        mean = Decimal(str(row.get("mean_days", 0))) if row.get("total") else Decimal(0)
        value = Decimal(100) if mean <= HANDLING_DAYS else max(Decimal(0), 100 - 5 * (mean - HANDLING_DAYS))
    else:
        raise KeyError(key)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


COMPUTE = {"catalogue": catalogue, "review": review, "disclosure": disclosure, "cases": cases, "cards": cards,
           "complaints": complaints, "complaint_handling": complaint_handling}
