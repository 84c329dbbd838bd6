"""Reads of cases and alerts for the pages, the board and the workspace panel, each
scoped to the user in SQL (supervision.permissions states the same rules)."""

import datetime

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from supervision.alert_flow import OPEN_ALERT_STATES, AlertState
from supervision.models import Alert, AlertKind, BoardFact, Case, CaseEvent, CaseState
from supervision.permissions import handles_department, sees_everything, supervised_region

NOTHING = Q(pk__in=[])
RUNNING_STATES = (CaseState.RECEIVED, CaseState.ACCEPTED)
# The board reads the rollup while it is this fresh (the beat rebuilds it every 5 minutes).
ROLLUP_MAX_AGE = datetime.timedelta(minutes=15)


def scope_q(user) -> Q:
    """What `user` may see of cases and alerts (both carry region and department): the
    own department for its clerks and reviewers, the supervised region and every region
    below it for supervisors, everything for administrators."""
    if sees_everything(user):
        return Q()
    q = NOTHING
    if handles_department(user):
        q |= Q(department_id=user.department_id)
    region = supervised_region(user)
    if region is not None:
        q |= Q(region__path__startswith=region.path)
    return q


def case_list(*, user, state=None):
    qs = Case.objects.filter(scope_q(user)).select_related("power", "department", "region")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-received_at", "-id")


def case_get(*, user, pk):
    """The case if `user` may read it, else None (the page answers 404)."""
    return (Case.objects.filter(scope_q(user), pk=pk)
            .select_related("power", "department", "region", "power_revision", "flowchart_revision", "system",
                            "published_power__region")
            .first())


def case_events(case):
    return list(CaseEvent.objects.filter(case=case).order_by("occurred_at", "id"))


# What a row of the alert list shows (supervision/includes/alert_table.html): the alert's
# own fields, and its case's number read for the page's rows only. Joining the case (and
# the power, department and region it used to join and decode whole) made PostgreSQL
# look up the case of every alert in scope before sorting them (the region's path
# estimate is one row): 35 of the 50 ms of the query at 4,000 alerts, growing with them.
ALERT_ROW_FIELDS = ("id", "kind", "rule", "state", "escalated_to_head", "step_name", "post_name", "person_name",
                    "raised_at", "case_id")


def alert_list(*, user, open_only=True):
    qs = (Alert.objects.filter(scope_q(user)).only(*ALERT_ROW_FIELDS)
          .prefetch_related(Prefetch("case", queryset=Case.objects.only("id", "number"))))
    if open_only:
        qs = qs.filter(state__in=OPEN_ALERT_STATES)
    return qs.order_by("-raised_at", "-id")


def alert_get(*, user, pk):
    return (Alert.objects.filter(scope_q(user), pk=pk)
            .select_related("case", "case__region", "department", "region", "power").first())


def months_back(today, n):
    """The first days of the n months up to `today`'s, oldest first."""
    months, year, month = [], today.year, today.month
    for _ in range(n):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def overdue_q(today) -> Q:
    """Open, running cases past a limit (a suspended case is never overdue)."""
    return Q(state__in=RUNNING_STATES) & (Q(promised_due__lt=today) | Q(statutory_due__lt=today))


def board(*, user, today=None, months=6) -> dict:
    """The board's figures for `user`'s scope: from the rollup (BoardFact) while it is
    fresh (rebuilt today, at most ROLLUP_MAX_AGE ago), else aggregated live. Either way
    a fixed number of queries; `as_of` is the rollup's time (None when live)."""
    today = today or timezone.localdate()
    computed_at = rollup_time(today)
    if computed_at is not None:
        return {**board_from_rollup(user=user, today=today, months=months), "as_of": computed_at}
    return {**board_live(user=user, today=today, months=months), "as_of": None}


def rollup_time(today=None):
    """When the rollup was rebuilt, if that was today and at most ROLLUP_MAX_AGE ago;
    else None (read live). One query."""
    today = today or timezone.localdate()
    computed_at = BoardFact.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    if (computed_at is not None and timezone.now() - computed_at <= ROLLUP_MAX_AGE
            and timezone.localtime(computed_at).date() == today):
        return computed_at
    return None


def case_count(*, user, state=None):
    """The number of cases in `user`'s scope (in `state`) from a fresh rollup, or None
    (count live). As of the rebuild: at most minutes old, for the list's page count."""
    if rollup_time() is None:
        return None
    facts = BoardFact.objects.filter(scope_q(user), metric="cases")
    if state:
        facts = facts.filter(kind=state)
    return facts.aggregate(n=Sum("n"))["n"] or 0


def open_alert_count(*, user):
    """The number of open alerts in `user`'s scope from a fresh rollup, or None."""
    if rollup_time() is None:
        return None
    return BoardFact.objects.filter(scope_q(user), metric="open_alert").aggregate(n=Sum("n"))["n"] or 0


def _grouped(facts, *fields):
    rows = list(facts.values(*fields).annotate(
        total=Sum("n"), red=Sum("n", filter=Q(kind=AlertKind.RED)), yellow=Sum("n", filter=Q(kind=AlertKind.YELLOW)),
    ).order_by("-total", *fields)[:20])
    for row in rows:
        row["label"] = " ".join(str(row[f]) for f in fields if row[f])
        row["red"], row["yellow"] = row["red"] or 0, row["yellow"] or 0
    return rows


def board_from_rollup(*, user, today, months=6) -> dict:
    """The board from BoardFact rows in `user`'s scope (the same figures as board_live,
    as of the last rebuild); the overdue list is read live (an index, twenty rows)."""
    facts = BoardFact.objects.filter(scope_q(user))
    alerts = facts.filter(metric="open_alert")
    figures = dict.fromkeys(("decided", "on_time", "open", "suspended", "open_overdue"), 0)
    figures.update(facts.filter(metric__in=list(figures)).values("metric").annotate(total=Sum("n"))
                   .values_list("metric", "total"))
    counted = figures["decided"] + figures["open_overdue"]
    figures["on_time_rate"] = round(100 * figures["on_time"] / counted, 1) if counted else None
    first_months = months_back(today, months)
    trend, decided = {}, {}
    for metric, month, kind, n in (facts.filter(metric__in=["alert_month", "decided_month", "on_time_month"],
                                                month__gte=first_months[0])
                                   .values("metric", "month", "kind").annotate(total=Sum("n"))
                                   .values_list("metric", "month", "kind", "total")):
        if metric == "alert_month":
            trend[(month, kind)] = n
        else:
            decided.setdefault(month, {})[metric] = n
    return {
        "by_region": _grouped(alerts, "region__name"),
        "by_department": _grouped(alerts, "department__name"),
        "by_power": _grouped(alerts, "power__code", "power__name"),
        "by_post": _grouped(alerts, "department__name", "post_name"),
        "figures": figures,
        "months": first_months,
        "alert_trend": {kind: [trend.get((m, kind), 0) for m in first_months] for kind in AlertKind.values},
        "on_time_trend": [round(100 * decided[m].get("on_time_month", 0) / decided[m]["decided_month"])
                          if decided.get(m, {}).get("decided_month") else 0 for m in first_months],
        "overdue": _overdue_list(user, today),
    }


def _overdue_list(user, today):
    """The first twenty overdue cases by promised due date (case_running_promised_idx)."""
    return list(Case.objects.filter(scope_q(user)).filter(overdue_q(today)).select_related("power", "department")
                .order_by("promised_due", "id")[:20])


def board_live(*, user, today, months=6) -> dict:
    """The board's figures for `user`'s scope, aggregated in the database: open alerts by
    region, department, power and post; the on-time rate (on time / decided + open
    overdue); alerts and the on-time rate by month. A fixed number of queries."""
    scope = scope_q(user)
    alerts = Alert.objects.filter(scope, state__in=OPEN_ALERT_STATES)

    def grouped(*fields):
        rows = list(alerts.values(*fields).annotate(
            total=Count("id"), red=Count("id", filter=Q(kind=AlertKind.RED)),
            yellow=Count("id", filter=Q(kind=AlertKind.YELLOW)),
        ).order_by("-total", *fields)[:20])
        for row in rows:
            row["label"] = " ".join(str(row[f]) for f in fields if row[f])
        return rows

    cases = Case.objects.filter(scope)
    figures = cases.aggregate(
        decided=Count("id", filter=Q(on_time__isnull=False)),
        on_time=Count("id", filter=Q(on_time=True)),
        open=Count("id", filter=Q(state__in=[*RUNNING_STATES, CaseState.SUSPENDED])),
        suspended=Count("id", filter=Q(state=CaseState.SUSPENDED)),
        open_overdue=Count("id", filter=overdue_q(today)),
    )
    counted = figures["decided"] + figures["open_overdue"]
    figures["on_time_rate"] = round(100 * figures["on_time"] / counted, 1) if counted else None
    first_months = months_back(today, months)
    since = timezone.make_aware(datetime.datetime.combine(first_months[0], datetime.time()))
    trend = {}
    for row in (Alert.objects.filter(scope, raised_at__gte=since).annotate(month=TruncMonth("raised_at"))
                .values("month", "kind").annotate(n=Count("id"))):
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        trend[(month, row["kind"])] = row["n"]
    decided = {}
    for row in (cases.filter(decided_at__gte=since, on_time__isnull=False).annotate(month=TruncMonth("decided_at"))
                .values("month").annotate(n=Count("id"), ok=Count("id", filter=Q(on_time=True)))):
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        decided[month] = (row["ok"], row["n"])
    return {
        "by_region": grouped("region__name"),
        "by_department": grouped("department__name"),
        "by_power": grouped("power__code", "power__name"),
        "by_post": grouped("department__name", "post_name"),
        "figures": figures,
        "months": first_months,
        "alert_trend": {kind: [trend.get((m, kind), 0) for m in first_months] for kind in AlertKind.values},
        "on_time_trend": [round(100 * decided[m][0] / decided[m][1]) if m in decided else 0 for m in first_months],
        "overdue": _overdue_list(user, today),
    }


def overdue_today(*, user, today=None, limit=10) -> dict:
    """The workspace panel: open cases past a limit today, in the user's scope."""
    today = today or timezone.localdate()
    qs = Case.objects.filter(scope_q(user)).filter(overdue_q(today))
    return {
        "count": qs.count(),
        "cases": list(qs.select_related("power", "department").order_by("promised_due", "id")[:limit]),
        "open_alerts": Alert.objects.filter(scope_q(user), state__in=OPEN_ALERT_STATES).count(),
    }


def open_alerts_to_explain(*, user) -> int:
    """How many of the user's department's alerts wait for its explanation (one query)."""
    if not handles_department(user):
        return 0
    return Alert.objects.filter(department_id=user.department_id, state=AlertState.OPEN).count()
