"""The alert rules (预警纠错) as pure functions of a case's timeline: nothing here writes.

`alerts_due(case, line, today=, benchmarks=, fee_basis=, flowchart_data=)` returns the
AlertSpecs the case deserves today; supervision.services.alerts raises those not raised
yet (one per case, rule and step). Time rules never fire on a suspended case: waiting
for the applicant is not overdue.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from supervision.calendar import ONE_DAY
from supervision.clock import calendar_for
from supervision.models import RULE_KIND, AlertKind, AlertRule
from supervision.timeline import local_date


@dataclass(frozen=True)
class AlertSpec:
    rule: str
    kind: str
    message: str
    step_key: str = ""
    step_name: str = ""
    post_id: int | None = None
    post_name: str = ""
    person: str = ""
    due_on: datetime.date | None = None


# Rules raised once per step; the others once per case (they still name the step).
PER_STEP_RULES = frozenset({AlertRule.STEP_OVER, AlertRule.CHECKPOINT_SKIPPED, AlertRule.CHECKPOINT_OUT_OF_ORDER})


def _spec(rule, message, *, step=None, person="", due_on=None):
    return AlertSpec(
        rule=rule, kind=RULE_KIND.get(rule, AlertKind.IRREGULAR), message=message[:500],
        step_key=step.key if step and rule in PER_STEP_RULES else "", step_name=step.name if step else "",
        post_id=step.post_id if step else None, post_name=step.post_name if step else "",
        person=(step.person if step and step.person else person), due_on=due_on,
    )


def previous_workday(day: datetime.date) -> datetime.date:
    """The last working day before `day` (estimated where the calendar is missing)."""
    day -= ONE_DAY
    calendar = calendar_for(range(day.year - 1, day.year + 1), estimate=True)
    while not calendar.is_workday(day):
        day -= ONE_DAY
    return day


def _time_rules(case, line, today):
    specs = []
    step = line.current_step or line.last_step
    decided_on = local_date(line.decided_at) if line.decided_at else None
    running = line.is_open and not line.suspended
    if line.promised is not None:
        due = line.promised.date
        if (running and today > due) or (decided_on and decided_on > due):
            specs.append(_spec(AlertRule.PROMISED_OVER, _("办件 %(n)s 超过承诺时限(%(due)s 到期)。")
                               % {"n": case.number, "due": due}, step=step, person=line.handler, due_on=due))
        elif running and today >= previous_workday(due):
            specs.append(_spec(AlertRule.PROMISED_SOON, _("办件 %(n)s 的承诺时限将于 %(due)s 到期。")
                               % {"n": case.number, "due": due}, step=step, person=line.handler, due_on=due))
    if line.statutory is not None:
        due = line.statutory.date
        if (running and today > due) or (decided_on and decided_on > due):
            specs.append(_spec(AlertRule.STATUTORY_OVER, _("办件 %(n)s 超过法定时限(%(due)s 到期)。")
                               % {"n": case.number, "due": due}, step=step, person=line.handler, due_on=due))
    for s in line.steps:
        if s.due is None:
            continue
        late_finish = s.finished_on is not None and s.finished_on > s.due.date
        late_running = s.running and running and today > s.due.date
        if late_finish or late_running:
            specs.append(_spec(AlertRule.STEP_OVER, _("“%(step)s”环节超过时限(%(due)s 到期)。")
                               % {"step": s.name, "due": s.due.date}, step=s, due_on=s.due.date))
    return specs


def _amount(measure):
    try:
        return Decimal(str(measure.get("amount")))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _outside_benchmarks(measure, benchmarks):
    """Whether the measure lies outside every range the benchmarks allow for its grade
    (or, without a grade, outside their statutory ranges). False without a benchmark."""
    amount = _amount(measure)
    if amount is None or not benchmarks:
        return False
    unit, grade = measure.get("unit"), measure.get("grade")
    ranges = []
    for benchmark in benchmarks:
        if unit and benchmark.unit != unit:
            continue
        rows = [r for r in benchmark.rows.all() if r.grade == grade] if grade else []
        if rows:
            ranges += [(r.range_min, r.range_max) for r in rows]
        else:
            ranges.append((benchmark.statutory_min, benchmark.statutory_max))
    return bool(ranges) and not any(lo <= amount <= hi for lo, hi in ranges)


def mandatory_steps(flowchart_data) -> set:
    """Step keys on every route from the first step to an end step (a checkpoint on a
    branch the case may not take is not required)."""
    steps = [str(s["key"]) for s in (flowchart_data or {}).get("steps", [])]
    if not steps:
        return set()
    finals = {str(s["key"]) for s in flowchart_data["steps"] if s.get("is_final")} or {steps[-1]}
    successors = {}
    for t in flowchart_data.get("transitions", []):
        successors.setdefault(str(t["source"]), []).append(str(t["target"]))

    def reaches_end_without(blocked):
        seen, todo = set(), [steps[0]]
        while todo:
            key = todo.pop()
            if key == blocked or key in seen:
                continue
            if key in finals:
                return True
            seen.add(key)
            todo += successors.get(key, [])
        return False

    return {key for key in steps if key == steps[0] or key in finals or not reaches_end_without(key)}


def _checkpoint_rules(line, flowchart_data):
    specs = []
    required = mandatory_steps(flowchart_data)
    started = {key: i for i, key in enumerate(line.step_order)}
    by_key = {s.key: s for s in line.steps}
    for step in line.steps:
        if not step.is_checkpoint or step.key not in required:
            continue
        later = [started[s.key] for s in line.steps if s.order > step.order and s.key in started]
        if step.key not in started:
            if later or line.decided_at is not None:
                specs.append(_spec(AlertRule.CHECKPOINT_SKIPPED, _("监督制约环节“%(step)s”未经办理即进入后续环节。")
                                   % {"step": step.name}, step=step))
        elif later and min(later) < started[step.key]:
            first_later = by_key[line.step_order[min(later)]]
            specs.append(_spec(AlertRule.CHECKPOINT_OUT_OF_ORDER,
                               _("监督制约环节“%(step)s”在其后的“%(later)s”环节之后才办理。")
                               % {"step": step.name, "later": first_later.name}, step=step))
    return specs


def alerts_due(case, line, *, today, benchmarks=(), fee_basis="", flowchart_data=None) -> list:
    """Every AlertSpec the case's timeline deserves on `today`."""
    specs = _time_rules(case, line, today)
    step = line.last_step
    if any(not reasons or (isinstance(reasons, (list, str)) and not "".join(reasons).strip())
           for reasons in line.refusals):
        specs.append(_spec(AlertRule.REFUSAL_WITHOUT_REASONS, _("办件 %(n)s 不予受理,但未说明理由。")
                           % {"n": case.number}, step=step, person=line.handler))
    for measure in line.decisions:
        if _outside_benchmarks(measure, benchmarks):
            specs.append(_spec(AlertRule.DISCRETION_OUT_OF_RANGE,
                               _("办件 %(n)s 的处理决定(%(amount)s)超出自由裁量基准的幅度。")
                               % {"n": case.number, "amount": measure.get("amount")}, step=step, person=line.handler))
            break
    if line.fees and not (fee_basis or "").strip():
        specs.append(_spec(AlertRule.FEE_WITHOUT_BASIS, _("办件 %(n)s 收取了费用,但该事项没有收费依据。")
                           % {"n": case.number}, step=step, person=line.handler))
    if not line.online:
        specs.append(_spec(AlertRule.NOT_ONLINE, _("办件 %(n)s 未在网上办理。") % {"n": case.number},
                           step=step, person=line.handler))
    specs += _checkpoint_rules(line, flowchart_data)
    return specs


def next_check_on(line, *, raised) -> datetime.date | None:
    """The first day a time rule not raised yet may fire (None: none can, e.g. while
    suspended or once decided); the beat scan reads the cases due by this date.
    `raised` holds the (rule, step_key) pairs already raised on the case."""
    if not line.is_open or line.suspended:
        return None
    days = []
    if line.promised is not None:
        if (AlertRule.PROMISED_SOON, "") not in raised and (AlertRule.PROMISED_OVER, "") not in raised:
            days.append(previous_workday(line.promised.date))
        if (AlertRule.PROMISED_OVER, "") not in raised:
            days.append(line.promised.date + ONE_DAY)
    if line.statutory is not None and (AlertRule.STATUTORY_OVER, "") not in raised:
        days.append(line.statutory.date + ONE_DAY)
    for s in line.steps:
        if s.running and s.due is not None and (AlertRule.STEP_OVER, s.key) not in raised:
            days.append(s.due.date + ONE_DAY)
    return min(days) if days else None


def time_checks(case, line, *, raised) -> list:
    """The time alerts the case will deserve if nothing happens to it, planned when it is
    derived (the same rules as _time_rules and the same days as next_check_on): one dict
    per AlertSpec with `from` (the first day it fires) and `until` (the last, for the
    prompt, which gives way to the yellow card after the due date). The beat scan raises
    them from this plan without loading the events (supervision.services.cases). Empty
    while the case is not running: a suspended or closed case has no time alert to come."""
    if not line.is_open or line.suspended:
        return []
    step = line.current_step or line.last_step
    checks = []

    def plan(spec, first, last=None):
        checks.append({"rule": spec.rule, "kind": spec.kind, "message": spec.message, "step_key": spec.step_key,
                       "step_name": spec.step_name, "post_id": spec.post_id, "post_name": spec.post_name,
                       "person": spec.person, "due_on": spec.due_on.isoformat() if spec.due_on else None,
                       "from": first.isoformat(), "until": last.isoformat() if last else None})

    if line.promised is not None and (AlertRule.PROMISED_OVER, "") not in raised:
        due = line.promised.date
        if (AlertRule.PROMISED_SOON, "") not in raised:
            plan(_spec(AlertRule.PROMISED_SOON, _("办件 %(n)s 的承诺时限将于 %(due)s 到期。") % {"n": case.number, "due": due},
                       step=step, person=line.handler, due_on=due), previous_workday(due), due)
        plan(_spec(AlertRule.PROMISED_OVER, _("办件 %(n)s 超过承诺时限(%(due)s 到期)。") % {"n": case.number, "due": due},
                   step=step, person=line.handler, due_on=due), due + ONE_DAY)
    if line.statutory is not None and (AlertRule.STATUTORY_OVER, "") not in raised:
        due = line.statutory.date
        plan(_spec(AlertRule.STATUTORY_OVER, _("办件 %(n)s 超过法定时限(%(due)s 到期)。") % {"n": case.number, "due": due},
                   step=step, person=line.handler, due_on=due), due + ONE_DAY)
    for s in line.steps:
        if s.running and s.due is not None and (AlertRule.STEP_OVER, s.key) not in raised:
            plan(_spec(AlertRule.STEP_OVER, _("“%(step)s”环节超过时限(%(due)s 到期)。") % {"step": s.name, "due": s.due.date},
                       step=s, due_on=s.due.date), s.due.date + ONE_DAY)
    return checks


def checks_due(checks, today) -> tuple:
    """(the AlertSpecs of `checks` due on `today`, the checks still to come): a prompt
    whose last day has passed is dropped (its yellow card takes over)."""
    due, later = [], []
    for check in checks:
        first = datetime.date.fromisoformat(check["from"])
        last = datetime.date.fromisoformat(check["until"]) if check["until"] else None
        if last is not None and today > last:
            continue
        if first <= today:
            due.append(AlertSpec(
                rule=check["rule"], kind=check["kind"], message=check["message"], step_key=check["step_key"],
                step_name=check["step_name"], post_id=check["post_id"], post_name=check["post_name"],
                person=check["person"],
                due_on=datetime.date.fromisoformat(check["due_on"]) if check["due_on"] else None))
        else:
            later.append(check)
    return due, later


def checks_next_day(checks):
    """The first day a planned check fires (the case's next_check_on), or None."""
    return min((datetime.date.fromisoformat(c["from"]) for c in checks), default=None)
