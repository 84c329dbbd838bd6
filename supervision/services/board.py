"""The supervisors' board rollup (BoardFact): rebuilt set-wise from the cases and alerts
after the beat scan and every few minutes (task supervision.refresh_board_rollup), so
the board reads a few thousand pre-aggregated rows instead of a province's cases.
supervision.selectors.cases.board reads it while it is fresh and falls back to the live
aggregates otherwise (docs/supervision.md, "The board")."""

import datetime

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from supervision.alert_flow import OPEN_ALERT_STATES
from supervision.models import BoardFact, Alert, Case, CaseState

TREND_MONTHS = 12
RUNNING = (CaseState.RECEIVED, CaseState.ACCEPTED)
CASE_METRICS = ("decided", "on_time", "open", "suspended", "open_overdue")


def _month(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def board_rollup_refresh(*, today=None) -> int:
    """Rebuild every BoardFact in one transaction (readers see the old rows until it
    commits); returns the number of rows. Five aggregate queries over the cases and
    alerts, one delete, one bulk insert. The case list and the alert list take their
    counts from it too (metric "cases" by state, "open_alert")."""
    today = today or timezone.localdate()
    now = timezone.now()
    first = today.replace(day=1)
    for _ in range(TREND_MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    facts = []

    def fact(metric, n, *, region_id, department_id=None, power_id=None, post_name="", kind="", month=None):
        facts.append(BoardFact(metric=metric, n=n, region_id=region_id, department_id=department_id,
                               power_id=power_id, post_name=post_name or "", kind=kind, month=month,
                               computed_at=now))

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one rebuild at a time
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('supervision_board_rollup'))")
        for row in (Alert.objects.filter(state__in=OPEN_ALERT_STATES).order_by()
                    .values("region_id", "department_id", "power_id", "post_name", "kind").annotate(n=Count("id"))):
            fact("open_alert", row["n"], region_id=row["region_id"], department_id=row["department_id"],
                 power_id=row["power_id"], post_name=row["post_name"], kind=row["kind"])
        overdue = Q(state__in=RUNNING) & (Q(promised_due__lt=today) | Q(statutory_due__lt=today))
        for row in Case.objects.order_by().values("region_id", "department_id").annotate(
                decided=Count("id", filter=Q(on_time__isnull=False)), on_time=Count("id", filter=Q(on_time=True)),
                open=Count("id", filter=Q(state__in=[*RUNNING, CaseState.SUSPENDED])),
                suspended=Count("id", filter=Q(state=CaseState.SUSPENDED)), open_overdue=Count("id", filter=overdue)):
            for metric in CASE_METRICS:
                if row[metric]:
                    fact(metric, row[metric], region_id=row["region_id"], department_id=row["department_id"])
        for row in Case.objects.order_by().values("region_id", "department_id", "state").annotate(n=Count("id")):
            fact("cases", row["n"], region_id=row["region_id"], department_id=row["department_id"], kind=row["state"])
        for row in (Alert.objects.filter(raised_at__gte=since).annotate(month=TruncMonth("raised_at")).order_by()
                    .values("region_id", "month", "kind").annotate(n=Count("id"))):
            fact("alert_month", row["n"], region_id=row["region_id"], kind=row["kind"], month=_month(row["month"]))
        for row in (Case.objects.filter(decided_at__gte=since, on_time__isnull=False)
                    .annotate(month=TruncMonth("decided_at")).order_by().values("region_id", "month")
                    .annotate(n=Count("id"), ok=Count("id", filter=Q(on_time=True)))):
            fact("decided_month", row["n"], region_id=row["region_id"], month=_month(row["month"]))
            if row["ok"]:
                fact("on_time_month", row["ok"], region_id=row["region_id"], month=_month(row["month"]))
        BoardFact.objects.all().delete()
        BoardFact.objects.bulk_create(facts, batch_size=2000)
    return len(facts)
