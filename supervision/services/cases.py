"""Cases: their derived state and clocks, recording by hand, and the beat scan.

`case_refresh` is the one place a case's derived fields (state, dates, due dates,
current step, next check day, suspensions) are written: from its events, never by hand.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import PublishedPower
from riskpoints.models import DiscretionBenchmark
from supervision.models import OPEN_CASE_STATES, Alert, Case, CaseEvent, CaseState, Suspension
from supervision.rules import alerts_due, next_check_on
from supervision.services.alerts import alerts_raise, supervision_system_user
from supervision.timeline import case_timeline

REFRESHED_FIELDS = [
    "state", "accepted_at", "decided_at", "delivered_at", "extended_days", "suspended_days", "statutory_due",
    "promised_due", "due_is_estimate", "current_step_key", "current_step_name", "current_step_due",
    "handler_name", "next_check_on", "on_time", "online", "updated_at",
]


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


def _benchmarks(case, line):
    if not line.decisions:
        return []
    return list(DiscretionBenchmark.objects.filter(power_id=case.power_id).prefetch_related("rows"))


def case_apply_timeline(case, line, *, raised):
    """Copy the timeline's figures onto the case (unsaved)."""
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
    case.next_check_on = next_check_on(line, raised=raised)
    case.on_time = line.on_time()
    case.updated_at = timezone.now()


def case_refresh(*, case, actor, events=None, today=None, raised=None) -> list:
    """Derive `case` from its events, save it, rebuild its suspension intervals and raise
    the alerts it deserves today. Must run in the caller's transaction; returns the new
    alerts. `events` and `raised` may be passed when the caller loaded them already."""
    today = today or timezone.localdate()
    if events is None:
        events = list(CaseEvent.objects.filter(case=case))
    flowchart_data = flowchart_content_of(case)
    line = case_timeline(case, events, flowchart_data=flowchart_data, today=today)
    specs = alerts_due(case, line, today=today, benchmarks=_benchmarks(case, line),
                       fee_basis=fee_basis_of(case), flowchart_data=flowchart_data)
    new = alerts_raise(case=case, specs=specs, actor=actor)
    if raised is None:
        raised = set(Alert.objects.filter(case=case).values_list("rule", "step_key"))
    else:
        raised = set(raised) | {(a.rule, a.step_key) for a in new}
    case_apply_timeline(case, line, raised=raised)
    case.save(update_fields=REFRESHED_FIELDS)
    Suspension.objects.filter(case=case).delete()
    Suspension.objects.bulk_create(
        Suspension(case=case, ground=s.ground, started_on=s.started_on, ended_on=s.ended_on) for s in line.suspensions
    )
    return new


def cases_scan(*, today=None, chunk_size=500) -> dict:
    """The beat scan: every open, running case whose next check day has come (a partial
    index finds them; suspended and closed cases are never read) is refreshed and its
    time rules evaluated. Each chunk is its own transaction. Returns counts."""
    today = today or timezone.localdate()
    actor = supervision_system_user()
    due = (Case.objects.filter(state__in=[CaseState.RECEIVED, CaseState.ACCEPTED], next_check_on__lte=today)
           .order_by("next_check_on", "id").values_list("id", flat=True))
    ids = list(due)
    checked = raised = 0
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start:start + chunk_size]
        with transaction.atomic():
            cases = list(Case.objects.select_related("power_revision", "flowchart_revision", "power", "region")
                         .select_for_update(of=("self",)).filter(id__in=chunk, state__in=OPEN_CASE_STATES))
            events = {}
            for event in CaseEvent.objects.filter(case_id__in=chunk).order_by("case_id", "occurred_at", "id"):
                events.setdefault(event.case_id, []).append(event)
            alerts = {}
            for case_id, rule, step_key in Alert.objects.filter(case_id__in=chunk).values_list(
                    "case_id", "rule", "step_key"):
                alerts.setdefault(case_id, set()).add((rule, step_key))
            for case in cases:
                raised += len(case_refresh(case=case, actor=actor, events=events.get(case.id, []), today=today,
                                           raised=alerts.get(case.id, set())))
                checked += 1
    return {"checked": checked, "raised": raised}


def case_record(*, user, power, number, received_at, applicant=None, online=True, system=None):
    """A clerk records a case by hand (or intake creates one from its received event):
    pinned to the power's revision in force and to its flowchart's revision in force.
    Raises ValidationError when the number is taken in the department or the power is
    not confirmed."""
    if power.in_force_id is None:
        raise ValidationError({"power": _("该事项尚未确认生效,不能登记办件。")})
    if Case.objects.filter(department_id=power.department_id, number=number).exists():
        raise ValidationError({"number": _("本部门已有编号为“%(n)s”的办件。") % {"n": number}})
    flowchart = getattr(power, "flowchart", None)
    applicant = applicant or {}
    revision_data = power.in_force.data if power.in_force_id else {}
    return Case.objects.create(
        system=system, source=Case.Source.SYSTEM if system else Case.Source.MANUAL,
        region_id=power.region_id, department_id=power.department_id, power=power,
        power_revision_id=power.in_force_id,
        published_power=PublishedPower.objects.filter(power=power, is_current=True).order_by("-version").first(),
        flowchart_revision_id=flowchart.in_force_id if flowchart is not None else None,
        number=number, applicant_name=applicant.get("name", ""), applicant_id_number=applicant.get("id_number", ""),
        applicant_phone=applicant.get("phone", ""), online=online, received_at=received_at,
        statutory_days=revision_data.get("statutory_limit_days", power.statutory_limit_days),
        promised_days=revision_data.get("promised_limit_days", power.promised_limit_days),
    )
