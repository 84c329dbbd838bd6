"""Cases: their derived state and clocks, recording by hand, and the beat scan.

`cases_refresh` is the one place a case's derived fields (state, dates, due dates,
current step, next check day, suspensions) are written: from its events, never by hand.
"""

import json

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import PublishedPower
from powerlist.review import outbox
from riskpoints.models import DiscretionBenchmark
from supervision.bulk import update_rows
from supervision.clock import calendar_pinned
from supervision.models import (
    OPEN_CASE_STATES, Alert, AlertKind, Case, CaseEvent, CaseSchedule, CaseState, EventKind, Suspension,
)
from supervision.rules import alerts_due, checks_due, checks_next_day, next_check_on, time_checks
from supervision.services.alerts import (
    alerts_build, alerts_save, supervision_system_user, yellow_cards_this_quarter,
)
from supervision.timeline import case_timeline, timeline_resume, timeline_state

REFRESHED_FIELDS = [
    "state", "accepted_at", "decided_at", "delivered_at", "extended_days", "suspended_days", "statutory_due",
    "promised_due", "due_is_estimate", "current_step_key", "current_step_name", "current_step_due",
    "handler_name", "on_time", "online", "first_event_at", "timeline_state", "updated_at",
]
SCHEDULE_FIELDS = ["next_check_on", "time_checks"]
RUNNING_STATES = (CaseState.RECEIVED, CaseState.ACCEPTED)


def fee_basis_of(case) -> str:
    """The fee basis of the power as it was in force at receipt (else as it is now)."""
    if case.power_revision_id and case.power_revision.data:
        return case.power_revision.data.get("fee_basis") or ""
    return case.power.fee_basis or ""


def flowchart_content_of(case):
    """The content of the flowchart revision the case is pinned to (None without one)."""
    if not case.flowchart_revision_id:
        return None
    return (case.flowchart_revision.data or {}).get("content")


def benchmarks_by_power(power_ids) -> dict:
    """{power_id: [DiscretionBenchmark with rows]} in two queries."""
    found = {}
    for benchmark in DiscretionBenchmark.objects.filter(power_id__in=set(power_ids)).prefetch_related("rows"):
        found.setdefault(benchmark.power_id, []).append(benchmark)
    return found


def case_apply_timeline(case, line, *, raised):
    """Copy the timeline's figures onto the case and its schedule (both unsaved)."""
    current = line.current_step
    case.state = line.state
    case.accepted_at, case.decided_at, case.delivered_at = line.accepted_at, line.decided_at, line.delivered_at
    case.extended_days, case.suspended_days, case.online = line.extended_days, line.suspended_days, line.online
    case.statutory_due = line.statutory.date if line.statutory else None
    case.promised_due = line.promised.date if line.promised else None
    case.due_is_estimate = line.any_estimate
    case.current_step_key = current.key if current else ""
    case.current_step_name = current.name if current else ""
    case.current_step_due = current.due.date if current and current.due else None
    case.handler_name = line.handler[:100]
    case.schedule = CaseSchedule(
        case=case, next_check_on=next_check_on(line, raised=raised),
        time_checks=None if line.any_estimate else time_checks(case, line, raised=raised))
    case.on_time = line.on_time()
    case.updated_at = timezone.now()


def cases_refresh(*, cases, events, actor, today=None, raised=None, later=None) -> list:
    """Derive each case from its events, save the derived fields, rebuild the suspension
    intervals of the cases whose suspensions may have changed, and raise the alerts each
    deserves today, recorded in the operation record. `events`: {case_id: [CaseEvent]},
    all of the case's events; `later`: {case_id: [CaseEvent]}, for a case whose stored
    timeline state holds its other events and these all occurred after them
    (timeline.timeline_resumable): they are applied to that state, its other events are
    not read. Must run in the caller's transaction; a fixed number of queries for the
    whole set. `raised`: {case_id: {(rule, step_key)}} when the caller loaded it. Returns
    the new alerts."""
    today = today or timezone.localdate()
    now = timezone.now()
    cases = list(cases)
    later = later or {}
    if raised is None:
        raised = {}
        for case_id, rule, step_key in Alert.objects.filter(case__in=cases).values_list("case_id", "rule", "step_key"):
            raised.setdefault(case_id, set()).add((rule, step_key))
    lines, suspended = [], set()
    for case in cases:
        flowchart_data = flowchart_content_of(case)
        if case.pk in later:
            new = later[case.pk]
            line = timeline_resume(case, case.timeline_state, new, flowchart_data=flowchart_data, today=today)
            times = [e.occurred_at for e in new] + ([case.first_event_at] if case.first_event_at else [])
            if any(e.kind in (EventKind.SUSPENDED, EventKind.RESUMED) for e in new):
                suspended.add(case.pk)
        else:
            new = events.get(case.pk, [])
            line = case_timeline(case, new, flowchart_data=flowchart_data, today=today)
            times = [e.occurred_at for e in new]
            if any(e.kind == EventKind.SUSPENDED for e in new):
                suspended.add(case.pk)
        case.first_event_at = min(times, default=None)
        case.timeline_state = timeline_state(line)
        lines.append((case, line, flowchart_data))
    decided = {case.power_id for case, line, _data in lines if line.decisions}
    benchmarks = benchmarks_by_power(decided) if decided else {}
    plans = [(case, line, alerts_due(case, line, today=today, benchmarks=benchmarks.get(case.power_id, ()),
                                     fee_basis=fee_basis_of(case), flowchart_data=flowchart_data))
             for case, line, flowchart_data in lines]
    # The quarter's yellow cards of the posts about to get a new one: one query for the set.
    quarter_yellow = yellow_cards_this_quarter({
        s.post_id for case, _line, specs in plans for s in specs
        if s.kind == AlertKind.YELLOW and s.post_id and (s.rule, s.step_key) not in raised.get(case.pk, ())}, now)
    new, spans = [], []
    for case, line, specs in plans:
        seen = raised.setdefault(case.pk, set())
        new += alerts_build(case=case, specs=specs, raised=seen, now=now, quarter_yellow=quarter_yellow)
        case_apply_timeline(case, line, raised=seen)
        if case.pk in suspended:
            spans += [Suspension(case=case, ground=s.ground, started_on=s.started_on, ended_on=s.ended_on)
                      for s in line.suspensions]
    update_rows(Case, cases, REFRESHED_FIELDS)
    CaseSchedule.objects.bulk_create([case.schedule for case in cases], update_conflicts=True,
                                     unique_fields=["case"], update_fields=SCHEDULE_FIELDS, batch_size=500)
    if suspended:
        Suspension.objects.filter(case_id__in=suspended).delete()
        Suspension.objects.bulk_create(spans)
    return alerts_save(alerts=new, actor=actor, now=now)


def events_since(cases, times=()):
    """The least `first_event_at` of `cases` and of `times` (events being added), the
    `since` of events_by_case; None when a case has none (derived before it was kept)."""
    found = list(times)
    for case in cases:
        if case.first_event_at is None:
            return None
        found.append(case.first_event_at)
    return min(found, default=None)


def events_by_case(case_ids, *, since=None) -> dict:
    """{case_id: [CaseEvent]} ordered by occurrence, in one query. `since`: a time no
    later than any of their events (the least of their `first_event_at`), so that on
    PostgreSQL only the months from it on are read, not every partition's index."""
    found = {}
    query = CaseEvent.objects.filter(case_id__in=case_ids)
    if since is not None:
        query = query.filter(occurred_at__gte=since)
    for event in query.order_by("case_id", "occurred_at", "id"):
        found.setdefault(event.case_id, []).append(event)
    return found


def cases_scan(*, today=None, chunk_size=2000) -> dict:
    """The beat scan: every open, running case whose next check day has come (a partial
    index finds them; suspended and closed cases are never read) gets the time alerts due
    today. A case whose checks were planned when it was last derived (its schedule's
    `time_checks`) is served from that plan, without reading its events, and only its
    narrow CaseSchedule row is rewritten; one whose due dates were estimates is derived
    again from its events. Each chunk is its own transaction; one outbox for the pass.
    Returns counts."""
    today = today or timezone.localdate()
    actor = supervision_system_user()
    ids = list(CaseSchedule.objects.filter(next_check_on__lte=today, case__state__in=RUNNING_STATES)
               .order_by("next_check_on", "case_id").values_list("case_id", flat=True))
    checked = raised = 0
    # One outbox for the pass: each recipient gets one digest of the day's alerts.
    with outbox.collecting():
        for start in range(0, len(ids), chunk_size):
            chunk = ids[start:start + chunk_size]
            with transaction.atomic(), calendar_pinned():
                if connection.vendor == "postgresql":
                    done, found = _serve_plans_sql(chunk, today=today, actor=actor)
                    raised += len(found)
                else:
                    planned = _planned_cases(chunk)
                    raised += len(_raise_planned(planned, today=today, actor=actor))
                    done = {case.pk for case in planned}
                rest = [pk for pk in chunk if pk not in done]
                derived, found = cases_derive(rest, today=today, actor=actor) if rest else (0, [])
                raised += len(found)
                checked += len(done) + derived
    return {"checked": checked, "raised": raised}


def cases_derive(ids, *, today, actor) -> tuple:
    """Derive the open cases of `ids` from all their events (locked; read from their
    earliest event on), store their timeline states and raise what they deserve today.
    Must run in the caller's transaction. Returns (the number derived, the new alerts)."""
    cases = list(Case.objects.prefetch_related("power_revision", "flowchart_revision", "power", "region")
                 .select_for_update().filter(id__in=ids, state__in=OPEN_CASE_STATES))
    if not cases:
        return 0, []
    events = events_by_case([case.pk for case in cases], since=events_since(cases))
    return len(cases), cases_refresh(cases=cases, events=events, actor=actor, today=today)


def cases_state_backfill(*, today=None, chunk_size=2000, limit=None, progress=None) -> dict:
    """Derive every open case that has no stored timeline state yet (derived before it was
    kept: after migration 0010), so that its next events take the stored state instead of
    reading all its events. Chunks of `chunk_size`, one transaction each, one outbox for
    the pass; the alerts they deserve today are raised as the scan would raise them.
    `progress(done, total)` after each chunk. Returns counts."""
    today = today or timezone.localdate()
    actor = supervision_system_user()
    ids = list(Case.objects.filter(state__in=OPEN_CASE_STATES, timeline_state__isnull=True)
               .order_by("id").values_list("id", flat=True)[:limit])
    derived = raised = 0
    with outbox.collecting():
        for start in range(0, len(ids), chunk_size):
            with transaction.atomic(), calendar_pinned():
                done, found = cases_derive(ids[start:start + chunk_size], today=today, actor=actor)
            derived, raised = derived + done, raised + len(found)
            if progress:
                progress(derived, len(ids))
    return {"derived": derived, "raised": raised}


PLAN_FIELDS = ("id", "number", "region_id", "department_id", "power_id", "schedule__time_checks",
               "schedule__next_check_on")


# The scan's plan on PostgreSQL, set-wise: the split of rules.checks_due in SQL (a check
# whose `until` has passed is dropped, one whose `from` has come is due, the rest stay),
# so a chunk's cases are locked, read and their schedules rewritten in two statements and
# only the cases with something due come back to Python. Both read the rows as locked (the
# case and its schedule FOR UPDATE, then the UPDATE of the same locked schedules), so a
# case refreshed meanwhile is read as refreshed. The case row is locked, not rewritten.
_PLAN_KEEP = "NOT coalesce((e->>'until')::date < %(today)s, false)"
_PLAN_LOCK_SQL = f"""
SELECT c.id, c.number, c.region_id, c.department_id, c.power_id,
       (SELECT jsonb_agg(e ORDER BY n) FROM jsonb_array_elements(s.time_checks) WITH ORDINALITY AS t(e, n)
        WHERE {_PLAN_KEEP} AND (e->>'from')::date <= %(today)s) AS due
FROM supervision_case c JOIN supervision_caseschedule s ON s.case_id = c.id
WHERE c.id = ANY(%(ids)s) AND c.state = ANY(%(states)s) AND s.time_checks IS NOT NULL
FOR UPDATE OF c, s
"""
_PLAN_UPDATE_SQL = f"""
UPDATE supervision_caseschedule AS s SET
    time_checks = coalesce((SELECT jsonb_agg(e ORDER BY n) FROM jsonb_array_elements(s.time_checks)
                            WITH ORDINALITY AS t(e, n) WHERE {_PLAN_KEEP} AND (e->>'from')::date > %(today)s),
                           '[]'::jsonb),
    next_check_on = (SELECT min((e->>'from')::date) FROM jsonb_array_elements(s.time_checks) AS t(e)
                     WHERE {_PLAN_KEEP} AND (e->>'from')::date > %(today)s)
WHERE s.case_id = ANY(%(ids)s)
"""


def _planned_cases(ids) -> list:
    """The cases of `ids` that are open, running and planned, locked with their schedules
    (the Python path of the scan, as _PLAN_LOCK_SQL selects on PostgreSQL)."""
    return list(Case.objects.select_related("schedule").select_for_update().filter(
        id__in=ids, state__in=RUNNING_STATES, schedule__time_checks__isnull=False).only(*PLAN_FIELDS))


def _serve_plans_sql(ids, *, today, actor):
    """PostgreSQL: serve the planned checks of the chunk `ids` (those open, running and
    planned) set-wise and raise the alerts due. Returns (the ids served, the new alerts)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_PLAN_LOCK_SQL, {"ids": list(ids), "today": today, "states": list(RUNNING_STATES)})
        rows = cursor.fetchall()
        done = {row[0] for row in rows}
        if done:
            cursor.execute(_PLAN_UPDATE_SQL, {"ids": list(done), "today": today})
    # Django's PostgreSQL backend hands jsonb over as text (JSONField decodes its own).
    due = [(Case(id=pk, number=number, region_id=region, department_id=department, power_id=power),
            json.loads(checks)) for pk, number, region, department, power, checks in rows if checks]
    if not due:
        return done, []
    return done, _raise_due([(case, checks_due(checks, today)[0]) for case, checks in due], now=now, actor=actor)


def _raise_due(plans, *, now, actor):
    """Raise the due AlertSpecs of `plans` ([(case, specs)]) not raised yet; a fixed
    number of queries for the set."""
    raised = {}  # what is raised already (a plan written outside cases_refresh may not know)
    for case_id, rule, step_key in Alert.objects.filter(case__in=[case for case, _due in plans]).values_list(
            "case_id", "rule", "step_key"):
        raised.setdefault(case_id, set()).add((rule, step_key))
    quarter_yellow = yellow_cards_this_quarter(
        {s.post_id for _case, due in plans for s in due if s.kind == AlertKind.YELLOW and s.post_id}, now)
    new = []
    for case, due in plans:
        new += alerts_build(case=case, specs=due, raised=raised.get(case.pk, set()), now=now,
                            quarter_yellow=quarter_yellow)
    return alerts_save(alerts=new, actor=actor, now=now)


def _raise_planned(cases, *, today, actor):
    """Raise the planned time alerts due today on `cases` and keep the rest of the plan
    (and the next check day); a fixed number of queries for the chunk."""
    if not cases:
        return []
    now = timezone.now()
    plans = [(case, *checks_due(case.schedule.time_checks, today)) for case in cases]
    for case, _due, later in plans:
        case.schedule.time_checks, case.schedule.next_check_on = later, checks_next_day(later)
    CaseSchedule.objects.bulk_update([case.schedule for case in cases], SCHEDULE_FIELDS, batch_size=500)
    return _raise_due([(case, due) for case, due, _later in plans], now=now, actor=actor)


def published_by_power(power_ids) -> dict:
    """{power_id: the current PublishedPower row} in one query."""
    rows = PublishedPower.objects.filter(power_id__in=set(power_ids), is_current=True).order_by("power_id", "version")
    return {row.power_id: row for row in rows}


def case_build(*, power, number, received_at, applicant=None, online=True, system=None,
               published=None, check_number=True):
    """A new case, unsaved (the intake inserts a batch's cases in one statement): pinned to
    the power's revision in force, to its flowchart's revision in force and to its current
    publication (`published`: the PublishedPower, False when the caller found none, None
    to look it up). Raises ValidationError when the power is not confirmed or, with
    `check_number`, the number is taken in the department (the unique constraint holds
    in any case). `power` should come with in_force and flowchart__in_force loaded."""
    if power.in_force_id is None:
        raise ValidationError({"power": _("该事项尚未确认生效,不能登记办件。")})
    if check_number and Case.objects.filter(department_id=power.department_id, number=number).exists():
        raise ValidationError({"number": _("本部门已有编号为“%(n)s”的办件。") % {"n": number}})
    flowchart = getattr(power, "flowchart", None)
    applicant = applicant or {}
    data = power.in_force.data or {}
    if published is None:
        published = published_by_power([power.pk]).get(power.pk)
    now = timezone.now()
    return Case(
        created_at=now, updated_at=now,  # set here: the bulk writer runs no pre_save
        system=system, source=Case.Source.SYSTEM if system else Case.Source.MANUAL,
        region_id=power.region_id, department_id=power.department_id, power=power, power_revision=power.in_force,
        published_power=published or None,
        flowchart_revision=flowchart.in_force if flowchart is not None and flowchart.in_force_id else None,
        number=number, applicant_name=applicant.get("name", ""), applicant_id_number=applicant.get("id_number", ""),
        applicant_phone=applicant.get("phone", ""), online=online, received_at=received_at,
        statutory_days=data.get("statutory_limit_days", power.statutory_limit_days),
        promised_days=data.get("promised_limit_days", power.promised_limit_days),
    )
